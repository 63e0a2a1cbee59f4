package dev.jhtrace.dbgeng.nt;

import com.sun.jna.platform.win32.WinNT.HANDLE;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;

/**
 * The object-name helper process started by {@link ObjectNameClient}: {@code ObjectNameWorker <pid>}
 * opens the target with PROCESS_DUP_HANDLE, prints {@code ready}, then answers one line per handle
 * value read on stdin (see the protocol in {@link ObjectNameClient}). It exits at the end of its
 * input, so it never outlives a jhtrace that closed the pipe; one that hangs in a query is killed.
 */
public final class ObjectNameWorker {
    private ObjectNameWorker() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (args.length != 1) {
            out.println("usage: ObjectNameWorker <pid>");
            System.exit(2);
        }
        try {
            int pid = Integer.parseInt(args[0]);
            WindowsNative nat = WindowsNative.load();
            Opened opened = openForDuplication(nat, pid);
            if (opened.target() == null) {
                out.println("cannot serve names: " + opened.failure());
                System.exit(1);
            }
            HANDLE target = opened.target();
            NtObjectNames names = new NtObjectNames(nat.ntdll(), nat.kernel32(), nat.layout(), target);
            serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, v -> names.name(v));
        } catch (NumberFormatException | dev.jhtrace.spi.JhtraceException e) {
            out.println("cannot serve names: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Opens the target with PROCESS_DUP_HANDLE, the one right copying its handles needs, after enabling
     * SeDebugPrivilege in this helper's own token (a token's privileges are per process: the jhtrace JVM
     * enabling it does not enable it here), so that services and other users' processes can be opened.
     */
    static Opened openForDuplication(WindowsNative nat, int pid) {
        DebugPrivilege.Outcome privilege = DebugPrivilege.enable(nat);
        HANDLE target = nat.kernel32().OpenProcess(NtConstants.PROCESS_DUP_HANDLE, false, pid);
        if (target != null) return new Opened(target, null);
        int error = nat.lastError().getAsInt();
        String why = error == NtConstants.ERROR_ACCESS_DENIED
                ? "access denied" + (privilege.enabled() ? " although SeDebugPrivilege is enabled (a protected process)" : "; " + privilege.describe())
                : "Win32 error " + error;
        return new Opened(null, "cannot open process " + pid + " with PROCESS_DUP_HANDLE (" + why + ")");
    }

    /**
     * The target opened for duplication, or why not.
     *
     * @param target  the process handle, or null
     * @param failure one line naming the right and the privilege state, or null
     */
    record Opened(HANDLE target, String failure) {
    }

    /** Says {@code ready}, then answers each request line until the input ends. */
    public static void serve(BufferedReader in, PrintStream out, LongFunction<NameLookup> query) {
        out.println("ready");
        out.flush();
        try {
            for (String line; (line = in.readLine()) != null; ) {
                String hex = line.trim();
                if (hex.isEmpty()) continue;
                NameLookup answer;
                try {
                    answer = query.apply(Long.parseUnsignedLong(hex, 16));
                } catch (NumberFormatException e) {
                    answer = NameLookup.failed("not a handle value");
                } catch (RuntimeException e) {
                    answer = NameLookup.failed(String.valueOf(e.getMessage()));
                }
                out.println(hex + "\t" + (answer.name() != null ? oneLine(answer.name()) : "!" + oneLine(answer.problem())));
                out.flush();
            }
        } catch (IOException e) {
            // jhtrace went away: nothing left to answer
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
