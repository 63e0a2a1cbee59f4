package dev.jhtrace.gdb.proc;

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
        long self = ProcessHandle.current().pid();
        List<ProcessInfo> found = new ArrayList<>();
        byte[] buffer = new byte[8192];
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC, p -> ProcFiles.number(p.getFileName().toString()) > 0)) {
            for (Path processDir : dir) {
                int pid = ProcFiles.number(processDir.getFileName().toString());
                if (pid == self) continue;
                ProcessInfo p = matching(pid, processDir, name, buffer);
                if (p != null) found.add(p);
            }
        } catch (IOException e) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot list processes from " + PROC + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparingInt(ProcessInfo::pid));
        return List.copyOf(found);
    }

    /**
     * Every name {@link #find} accepts for the processes running now (their comm and the base name of their
     * argv[0]), sorted: what Tab offers after {@code attach}.
     *
     * @throws JhtraceException ENGINE_UNAVAILABLE off Linux
     */
    public static java.util.SortedSet<String> names() {
        ProcFiles.requireLinux("listing processes");
        long self = ProcessHandle.current().pid();
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        byte[] buffer = new byte[8192];
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC, p -> ProcFiles.number(p.getFileName().toString()) > 0)) {
            for (Path processDir : dir) {
                if (ProcFiles.number(processDir.getFileName().toString()) == self) continue;
                try {
                    String comm = ProcFiles.readUtf8(processDir.resolve("comm")).strip();
                    String argv0 = firstWord(ProcFiles.readBytes(processDir.resolve("cmdline").toString(), buffer));
                    if (ProcFiles.isZombieOrDead(processDir)) continue;
                    if (!comm.isEmpty()) names.add(comm);
                    String base = argv0.substring(argv0.lastIndexOf('/') + 1);
                    if (!base.isEmpty()) names.add(base);
                } catch (IOException e) {
                    // exited meanwhile, or hidden from us (hidepid): not a name attach could use
                }
            }
        } catch (IOException e) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot list processes from " + PROC + ": " + e.getMessage(), e);
        }
        return names;
    }

    private static ProcessInfo matching(int pid, Path processDir, String name, byte[] buffer) {
        String comm;
        byte[] cmdline;
        try {
            comm = ProcFiles.readUtf8(processDir.resolve("comm")).strip();
            cmdline = ProcFiles.readBytes(processDir.resolve("cmdline").toString(), buffer);
        } catch (IOException e) {
            return null; // exited meanwhile, or hidden from us (hidepid)
        }
        String argv0 = firstWord(cmdline);
        boolean matches = name.indexOf('/') >= 0
                ? name.equals(argv0)
                : name.equals(comm) || name.equals(argv0.substring(argv0.lastIndexOf('/') + 1));
        if (!matches || ProcFiles.isZombieOrDead(processDir)) return null; // a zombie cannot be attached to or listed
        return new ProcessInfo(pid, comm, commandLine(cmdline));
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
