package dev.jhtrace.proc;

import dev.jhtrace.spi.Engine.ProcessInfo;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Finds running Linux processes by name, for attach-by-name, from {@code /proc} alone.
 *
 * <p>Matching rules: the name must be equal (case-sensitive, no patterns) to either
 * <ul>
 *   <li>the process's {@code comm} ({@code /proc/PID/comm}, the executable's file name as the kernel keeps it,
 *       cut to 15 bytes, or what the process set with {@code prctl(PR_SET_NAME)}), or</li>
 *   <li>the base name of its {@code argv[0]} (the part after the last {@code /} of the first NUL-separated word
 *       of {@code /proc/PID/cmdline}), so names longer than 15 bytes are found in full.</li>
 * </ul>
 * A name with a {@code /} is instead compared to the whole {@code argv[0]} ({@code ./leaky}, {@code /usr/bin/leaky}).
 * Only processes are searched, not their threads; the calling JVM itself and zombies are never returned. Processes
 * that exit while being looked at are left out.
 */
public final class ProcessFinder {
    private static final Path PROC = Path.of("/proc");

    private ProcessFinder() {
    }

    /**
     * The processes matching {@code name}, by pid.
     *
     * @param name a process name as {@code ps -e} shows it, or an executable's base name, or an exact argv[0]
     * @return the matches with {@code name} = comm and {@code command} = the command line with arguments joined by
     *         spaces (null for kernel threads, which have none); empty when nothing matches
     * @throws JhtraceException BAD_INPUT for a blank name or one with a NUL or newline; ENGINE_UNAVAILABLE off Linux
     */
    public static List<ProcessInfo> find(String name) {
        if (name == null || name.isBlank() || name.indexOf('\0') >= 0 || name.indexOf('\n') >= 0) {
            throw new JhtraceException(Failure.BAD_INPUT, "a process name must be non-blank text on one line, got " + (name == null ? "nothing" : "'" + name.strip() + "'"));
        }
        ProcFiles.requireLinux("finding processes by name");
        List<ProcessInfo> found = new ArrayList<>();
        scan((pid, processDir, comm, cmdline) -> {
            String argv0 = firstWord(cmdline);
            boolean matches = name.indexOf('/') >= 0
                    ? name.equals(argv0)
                    : name.equals(comm) || name.equals(argv0.substring(argv0.lastIndexOf('/') + 1));
            // a zombie cannot be attached to or listed
            if (matches && !ProcFiles.isZombieOrDead(processDir)) found.add(new ProcessInfo(pid, comm, commandLine(cmdline)));
        });
        found.sort(Comparator.comparingInt(ProcessInfo::pid));
        return List.copyOf(found);
    }

    /**
     * Every name {@link #find} accepts for the processes running now (their comm and the base name of their
     * argv[0]), sorted: what Tab offers after {@code attach}.
     *
     * @throws JhtraceException ENGINE_UNAVAILABLE off Linux
     */
    public static SortedSet<String> names() {
        ProcFiles.requireLinux("listing processes");
        SortedSet<String> names = new TreeSet<>();
        scan((pid, processDir, comm, cmdline) -> {
            if (ProcFiles.isZombieOrDead(processDir)) return;
            String argv0 = firstWord(cmdline);
            String base = argv0.substring(argv0.lastIndexOf('/') + 1);
            if (!comm.isEmpty()) names.add(comm);
            if (!base.isEmpty()) names.add(base);
        });
        return names;
    }

    /** What {@link #scan} hands over for each process: its directory, {@code comm} and raw {@code cmdline}. */
    private interface Visitor {
        void visit(int pid, Path processDir, String comm, byte[] cmdline);
    }

    /** Visits every process but this JVM; those that exit while being read, or are hidden from us (hidepid), are skipped. */
    private static void scan(Visitor visitor) {
        long self = ProcessHandle.current().pid();
        byte[] buffer = new byte[8192];
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC, p -> ProcFiles.number(p.getFileName().toString()) > 0)) {
            for (Path processDir : dir) {
                int pid = ProcFiles.number(processDir.getFileName().toString());
                if (pid == self) continue;
                String comm;
                byte[] cmdline;
                try {
                    comm = ProcFiles.readUtf8(processDir.resolve("comm")).strip();
                    cmdline = ProcFiles.readBytes(processDir.resolve("cmdline").toString(), buffer);
                } catch (IOException e) {
                    continue;
                }
                visitor.visit(pid, processDir, comm, cmdline);
            }
        } catch (IOException e) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot list processes from " + PROC + ": " + e.getMessage(), e);
        }
    }

    private static String firstWord(byte[] cmdline) {
        int end = 0;
        while (end < cmdline.length && cmdline[end] != 0) end++;
        return new String(cmdline, 0, end, StandardCharsets.UTF_8);
    }

    private static String commandLine(byte[] cmdline) {
        int length = cmdline.length;
        while (length > 0 && cmdline[length - 1] == 0) length--;
        if (length == 0) return null;
        return new String(cmdline, 0, length, StandardCharsets.UTF_8).replace('\0', ' ');
    }
}
