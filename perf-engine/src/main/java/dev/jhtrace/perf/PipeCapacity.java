package dev.jhtrace.perf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.jhtrace.proc.Sysctl;

/**
 * The capacity of the pipe perf record writes its stream into, widened from the kernel's 64 KiB (fcntl
 * {@code F_SETPIPE_SZ}, through {@code /proc/PID/fd}: the JDK does not say which descriptor is its end).
 *
 * <p>Why: perf record copies its rings into the pipe and blocks while the pipe is full, so each 64 KiB handed over costs
 * a wake-up of jhtrace's reader and one of perf record. On CPUs oversubscribed by other work, each wake-up waits its
 * turn, perf record fell behind the kernel and its 64 MiB rings overflowed: at 200,000 events/s under four busy loops
 * on 2 cores, 14 of 39 runs lost events (594 to 80,250 of 600,000), against 0 of 18 with a 1 MiB pipe
 * (benchmarks/decoder-throughput.sh with BUSY=4, and the engine alone). 1 MiB is what an unprivileged process may ask
 * ({@code fs.pipe-max-size}'s default).
 */
final class PipeCapacity {
    static final int WIDE_BYTES = 1 << 20;
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETPIPE_SZ = 1032;

    interface LibC extends Library {
        int open(String path, int flags);

        int fcntl(int fd, int cmd, int arg);

        int close(int fd);
    }

    private PipeCapacity() {
    }

    /**
     * Widens the pipe that process {@code pid} holds as descriptor {@code fd} to {@link #WIDE_BYTES}, or to
     * {@code fs.pipe-max-size} if that is less. Returns the pipe's capacity afterwards, or -1 when it could not be
     * read or widened (not a pipe, gone, JNA unavailable): the stream then flows as before, only through less room.
     */
    static int widen(long pid, int fd) {
        return withPipe(pid, fd, (libc, pipe) -> {
            int wanted = (int) Math.min(WIDE_BYTES, maxBytes());
            int now = libc.fcntl(pipe, F_GETPIPE_SZ, 0);
            return now >= wanted ? now : libc.fcntl(pipe, F_SETPIPE_SZ, wanted);
        });
    }

    /** The capacity of the pipe process {@code pid} holds as descriptor {@code fd}, or -1. */
    static int of(long pid, int fd) {
        return withPipe(pid, fd, (libc, pipe) -> libc.fcntl(pipe, F_GETPIPE_SZ, 0));
    }

    private interface PipeCall {
        int apply(LibC libc, int pipe);
    }

    private static int withPipe(long pid, int fd, PipeCall call) {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (LinkageError | RuntimeException e) {
            return -1;
        }
        // opened for reading and never read: the pipe's data stays for its reader; non-blocking, so no writer is awaited
        int pipe = libc.open("/proc/" + pid + "/fd/" + fd, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (pipe < 0) return -1;
        try {
            return call.apply(libc, pipe);
        } finally {
            libc.close(pipe);
        }
    }

    /** {@code fs.pipe-max-size}: the largest pipe a process without CAP_SYS_RESOURCE may ask for. */
    private static long maxBytes() {
        try {
            return Long.parseLong(Sysctl.value("fs.pipe-max-size").orElse(Integer.toString(WIDE_BYTES)));
        } catch (NumberFormatException e) {
            return WIDE_BYTES;
        }
    }
}
