package dev.jhtrace.proc;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A Linux process as {@code /proc} shows it (a target, gdb itself, a launch's shell): whether it exists, its
 * state, its name and its tracer, and SIGCONT for it. Every method reads {@code /proc} afresh.
 *
 * @param pid process id
 */
public record LinuxProcess(int pid) {
    /** stdin, stdout and stderr: a process's by convention ({@code HandleSource.standardHandles()}). */
    public static final Set<Long> STANDARD_DESCRIPTORS = Set.of(0L, 1L, 2L);


    /** True while the process exists and is not a zombie. */
    public boolean isAlive() {
        char s = state();
        return s != 0 && s != 'Z' && s != 'X';
    }

    /** The state letter of {@code /proc/PID/stat} ({@code R S D T t Z ...}), or 0 when the process is gone. */
    public char state() {
        return stateIn(Path.of("/proc", Integer.toString(pid), "stat"));
    }

    /** The state letter of a process's or thread's {@code stat} file, or 0 when it is gone. */
    private static char stateIn(Path statFile) {
        try {
            String stat = Files.readString(statFile, StandardCharsets.UTF_8);
            int close = stat.lastIndexOf(')'); // the name may contain spaces and parentheses
            return close < 0 || close + 2 >= stat.length() ? 0 : stat.charAt(close + 2);
        } catch (IOException e) {
            return 0;
        }
    }

    /** True when stopped by a signal or a tracer ({@code T} or {@code t}). */
    public boolean isStopped() {
        char s = state();
        return s == 'T' || s == 't';
    }

    /**
     * True when any thread is in a job-control stop ({@code T} in its {@code /proc/PID/task/TID/stat}): a
     * SIGSTOP stops the whole group, but only once some thread has taken it.
     */
    public boolean anyThreadStopped() {
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "task"))) {
            for (Path task : tasks) {
                if (stateIn(task.resolve("stat")) == 'T') return true; // 0 for a thread that ended since the listing
            }
        } catch (IOException gone) {
            return false;
        }
        return false;
    }

    /** The process name ({@code /proc/PID/comm}), or null when gone. */
    public String name() {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** True when the executable is a 32-bit ELF (its syscall numbers and registers differ). */
    public boolean is32Bit() {
        try (var in = Files.newInputStream(Path.of("/proc", Integer.toString(pid), "exe"))) {
            byte[] ident = in.readNBytes(5);
            return ident.length == 5 && ident[0] == 0x7f && ident[1] == 'E' && ident[4] == 1; // EI_CLASS = ELFCLASS32
        } catch (IOException e) {
            return false; // unreadable: let the attach itself decide
        }
    }

    /** Sends SIGCONT (ends a job-control stop). */
    public void sendContinue() {
        try {
            new ProcessBuilder("kill", "-CONT", Integer.toString(pid)).start().waitFor();
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot resume pid " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The arguments ({@code /proc/PID/cmdline}, NUL-separated), empty for a zombie, or null when gone. */
    public String commandLine() {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** The pid of the process tracing this one (a debugger, strace), 0 when none. */
    public int tracerPid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("TracerPid:")) return Integer.parseInt(line.substring("TracerPid:".length()).strip());
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Fails with a one-line {@link JhtraceException} when this process cannot be attached to. */
    public void checkAttachable() {
        if (pid <= 0) throw new JhtraceException(Failure.BAD_INPUT, "not a process id: " + pid);
        if (pid == ProcessHandle.current().pid()) throw new JhtraceException(Failure.BAD_INPUT, "jhtrace cannot trace itself (pid " + pid + ")");
        if (!Files.exists(Path.of("/proc", Integer.toString(pid)))) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no process with pid " + pid);
        }
        if (!isAlive()) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "process " + pid + " has exited");
        if (is32Bit()) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "process " + pid + " is a 32-bit program; the gdb engine traces x86-64 processes only");
        }
        int tracer = tracerPid();
        if (tracer != 0) {
            String tracerName = new LinuxProcess(tracer).name();
            throw new JhtraceException(Failure.PERMISSION_DENIED, "process " + pid + " is already traced by pid " + tracer
                    + (tracerName == null ? "" : " (" + tracerName + ")") + "; detach that debugger first");
        }
    }
}
