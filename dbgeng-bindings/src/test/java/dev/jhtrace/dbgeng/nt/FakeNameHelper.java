package dev.jhtrace.dbgeng.nt;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A stand-in for the Windows object-name query, run as a real child process through
 * {@link ObjectNameWorker#serve}: names every handle {@code <prefix><hex>}, except 0x44 (and 0x144 ...), where it
 * hangs forever the way NtQueryObject hangs on a synchronous pipe, and 0x48, which it cannot copy.
 * With {@code --silent} it never says ready; with {@code --quit} it says ready and exits at the first request;
 * with {@code --refuse} it answers as {@link ObjectNameWorker} does when it cannot open the target for duplication.
 */
public final class FakeNameHelper {
    private FakeNameHelper() {
    }

    public static void main(String[] args) throws InterruptedException, java.io.IOException {
        String prefix = args.length > 0 ? args[0] : "\\Device\\Fake\\";
        if (prefix.equals("--silent")) Thread.sleep(Long.MAX_VALUE);
        if (prefix.equals("--refuse")) {
            System.out.println("cannot serve names: cannot open process 4242 with PROCESS_DUP_HANDLE (access denied)");
            System.exit(1);
        }
        if (prefix.equals("--quit")) {
            System.out.println("ready");
            System.in.read();
            System.exit(0);
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        ObjectNameWorker.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, value -> {
            if ((value & 0xFF) == 0x44) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (value == 0x48) return NameLookup.failed("STATUS_INVALID_HANDLE");
            return NameLookup.of(prefix + Long.toHexString(value));
        });
    }

    /** The command line running this helper with the test JVM and class path. */
    public static List<String> command(String prefix) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FakeNameHelper.class.getName(), prefix);
    }
}
