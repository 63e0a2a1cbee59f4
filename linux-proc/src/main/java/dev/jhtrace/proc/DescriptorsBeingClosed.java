package dev.jhtrace.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The descriptors a process's threads are closing right now: threads held at the entry of {@code close} or
 * {@code close_range} (a tracer's syscall-entry stop, or blocked inside the call), read from
 * {@code /proc/PID/task/TID/syscall} ("NR arg0 arg1 arg2 ..." while in a call, "-1 ..." or "running" otherwise).
 * Such a descriptor is still in {@code /proc/PID/fd} although its thread has already asked for it to go.
 */
public final class DescriptorsBeingClosed {
    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
    private static final long CLOSE = AARCH64 ? 57 : 3;
    private static final long CLOSE_RANGE = 436; // the same on both
    private static final long CLOSE_RANGE_CLOEXEC = 1L << 2; // marks close-on-exec instead of closing

    private DescriptorsBeingClosed() {
    }

    /** Which of {@code candidates} a thread of {@code pid} is closing now. */
    public static Set<Long> among(long pid, Set<Long> candidates) {
        Set<Long> closing = new HashSet<>();
        if (candidates.isEmpty()) return closing;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) addClosing(task.resolve("syscall"), candidates, closing);
        } catch (IOException | RuntimeException e) {
            // the process is gone or unreadable: nothing is known to be closing
        }
        return closing;
    }

    private static void addClosing(Path syscall, Set<Long> candidates, Set<Long> closing) {
        String line;
        try {
            line = ProcFiles.readUtf8(syscall).strip();
        } catch (IOException e) {
            return; // the thread ended
        }
        String[] f = line.split(" ");
        if (f.length < 4 || f[0].equals("-1") || f[0].equals("running")) return;
        long nr = Long.parseLong(f[0]);
        if (nr == CLOSE) {
            long fd = Long.parseUnsignedLong(f[1].substring(2), 16);
            if (candidates.contains(fd)) closing.add(fd);
        } else if (nr == CLOSE_RANGE) {
            long first = Long.parseUnsignedLong(f[1].substring(2), 16) & 0xffff_ffffL;
            long last = Long.parseUnsignedLong(f[2].substring(2), 16) & 0xffff_ffffL;
            long flags = Long.parseUnsignedLong(f[3].substring(2), 16);
            if ((flags & CLOSE_RANGE_CLOEXEC) != 0) return;
            for (long fd : candidates) if (fd >= first && fd <= last) closing.add(fd);
        }
    }
}
