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
            HANDLE target = nat.kernel32().OpenProcess(NtConstants.PROCESS_DUP_HANDLE, false, pid);
            if (target == null) {
                out.println("cannot serve names: cannot open process " + pid + " (Win32 error " + nat.lastError().getAsInt() + ")");
                System.exit(1);
            }
            NtObjectNames names = new NtObjectNames(nat.ntdll(), nat.kernel32(), nat.layout(), target);
            serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, v -> names.name(v));
        } catch (NumberFormatException | dev.jhtrace.spi.JhtraceException e) {
            out.println("cannot serve names: " + e.getMessage());
            System.exit(1);
        }
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
