package dev.jhtrace.proc;

import dev.jhtrace.model.LoadedModule;
import dev.jhtrace.model.ThreadInfo;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running process's threads ({@code /proc/PID/task}) and loaded modules ({@code /proc/PID/maps}), read without
 * stopping it: what WinDbg's {@code ~} and {@code lm} show.
 */
public final class ProcessLayout {
    private static final Path PROC = Path.of("/proc");

    private ProcessLayout() {
    }

    /**
     * The threads of {@code pid}, by id. A thread that ends while being read is left out.
     *
     * @throws JhtraceException TARGET_NOT_FOUND when the process is gone
     */
    public static List<ThreadInfo> threads(int pid) {
        ProcFiles.requireLinux("listing threads");
        List<ThreadInfo> threads = new ArrayList<>();
        Path tasks = PROC.resolve(Integer.toString(pid)).resolve("task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks, p -> ProcFiles.number(p.getFileName().toString()) > 0)) {
            for (Path task : dir) {
                int tid = ProcFiles.number(task.getFileName().toString());
                try {
                    String name = ProcFiles.readUtf8(task.resolve("comm")).strip();
                    String stat = new String(ProcFiles.readBytes(task.resolve("stat").toString(), new byte[512]), StandardCharsets.ISO_8859_1);
                    threads.add(new ThreadInfo(tid, name.isEmpty() ? null : name, state(stat)));
                } catch (IOException ended) {
                    // the thread ended between the listing and the read: it is no longer one of the threads
                }
            }
        } catch (NoSuchFileException e) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "process " + pid + " has exited", e);
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot list the threads of process " + pid + ": " + e.getMessage(), e);
        }
        threads.sort(Comparator.comparingInt(ThreadInfo::tid));
        return threads;
    }

    /** The state letter of a {@code stat} line in words ({@code ps}'s meanings). */
    static String state(String stat) {
        int close = stat.lastIndexOf(')'); // the name in parentheses may hold anything, even ')'
        char c = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
        return switch (c) {
            case 'R' -> "running";
            case 'S' -> "sleeping";
            case 'D' -> "waiting on I/O";
            case 'T' -> "stopped";
            case 't' -> "stopped by a debugger";
            case 'Z' -> "zombie";
            case 'X' -> "dead";
            case 'I' -> "idle";
            default -> "state " + c;
        };
    }

    /**
     * The modules of {@code pid}: each file (and {@code [vdso]}) with an executable mapping, spanning all of its
     * mappings, by base address.
     *
     * @throws JhtraceException TARGET_NOT_FOUND when the process is gone, PERMISSION_DENIED when its maps are hidden
     */
    public static List<LoadedModule> modules(int pid) {
        ProcFiles.requireLinux("listing modules");
        Path maps = PROC.resolve(Integer.toString(pid)).resolve("maps");
        List<String> lines;
        try {
            lines = Files.readAllLines(maps, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "process " + pid + " has exited", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new JhtraceException(Failure.PERMISSION_DENIED, "cannot read " + maps + ": permission denied", e);
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot read " + maps + ": " + e.getMessage(), e);
        }
        return modules(lines);
    }

    /** The modules described by the lines of a {@code maps} file. */
    static List<LoadedModule> modules(List<String> mapsLines) {
        Map<String, long[]> spans = new LinkedHashMap<>();
        Map<String, Boolean> executable = new LinkedHashMap<>();
        for (String line : mapsLines) {
            // address perms offset dev inode [path]: the path starts after the fifth field and may hold spaces
            String[] f = line.strip().split("\\s+", 6);
            if (f.length < 6) continue;
            String path = f[5];
            if (!path.startsWith("/") && !path.equals("[vdso]")) continue;
            int dash = f[0].indexOf('-');
            if (dash < 0) continue;
            long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16), end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
            long[] span = spans.computeIfAbsent(path, p -> new long[]{start, end});
            span[0] = Math.min(span[0], start);
            span[1] = Math.max(span[1], end);
            if (f[1].indexOf('x') >= 0) executable.put(path, true);
        }
        List<LoadedModule> modules = new ArrayList<>();
        spans.forEach((path, span) -> {
            if (!executable.containsKey(path)) return; // data files mapped by the program are not modules
            String name = path.startsWith("/") ? path.substring(path.lastIndexOf('/') + 1) : path;
            modules.add(new LoadedModule(span[0], span[1], name, path.startsWith("/") ? path : null));
        });
        modules.sort(Comparator.comparingLong(LoadedModule::base));
        return modules;
    }
}
