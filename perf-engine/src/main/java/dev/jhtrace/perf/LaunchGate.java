package dev.jhtrace.perf;

import dev.jhtrace.proc.LinuxProcess;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command to launch, held by a shell at a gate until perf records it. A subshell of the shell reads "go" from a
 * FIFO, then the shell execs the command in its own process: perf attaches to that pid as to any process, and the
 * command keeps the stdin, stdout and stderr it was given (perf's own workload, in pipe mode, sends the program's
 * stdout to perf's stderr, so both streams went to one place). Only the subshell touches the FIFO: the shell itself
 * makes no descriptor call between the wait and its exec (a shell's own redirections save and restore descriptors,
 * which the trace would show as copies made then). Should jhtrace die before the gate opens, even before the subshell
 * opened the FIFO, the FIFO loses its last writer, the read ends without "go", and the command never runs.
 */
final class LaunchGate implements AutoCloseable {
    /**
     * $0 is the FIFO, "$@" the command. The subshell opens the FIFO for reading while it holds a write end of its own
     * (opened read-write, which never blocks), then drops that: its open cannot block even if jhtrace has died since the
     * spawn, and its read then finds no writer and ends at once. A plain {@code <FIFO} would wait forever for a writer.
     */
    static final String SCRIPT = "(exec 3<>\"$0\" <\"$0\" 3>&-; read go && [ \"$go\" = go ]) || exit 1; exec \"$@\"";
    /** The same, with the command's stdout sent to its stderr before anything is traced. */
    private static final String SCRIPT_OUTPUT_TO_STDERR = "exec 1>&2; " + SCRIPT;

    private final Path dir;
    private final Path fifo;
    private final RandomAccessFile writer;
    private final Process process;
    private final String shellCommandLine; // as /proc/PID/cmdline has it: each argument NUL-terminated

    private LaunchGate(Path dir, Path fifo, RandomAccessFile writer, Process process, String shellCommandLine) {
        this.dir = dir;
        this.fifo = fifo;
        this.writer = writer;
        this.process = process;
        this.shellCommandLine = shellCommandLine;
    }

    /**
     * Starts the shell that will run {@code command}'s command line with its redirects, directory and environment.
     *
     * @param outputToStderr the command's stdout goes where its stderr goes
     */
    static LaunchGate start(ProcessBuilder command, boolean outputToStderr) throws IOException {
        Path dir = Files.createTempDirectory("jhtrace-launch-").toRealPath();
        Path fifo = Fifo.make(dir.resolve("gate"));
        // read-write: opening never blocks, and the subshell's open for reading finds a writer and does not block either
        RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw");
        List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", outputToStderr ? SCRIPT_OUTPUT_TO_STDERR : SCRIPT, fifo.toString()));
        shell.addAll(command.command());
        ProcessBuilder pb = new ProcessBuilder(shell).directory(command.directory()).redirectInput(command.redirectInput())
                .redirectOutput(command.redirectOutput()).redirectError(command.redirectError());
        pb.environment().clear();
        pb.environment().putAll(command.environment());
        try {
            return new LaunchGate(dir, fifo, writer, pb.start(), String.join("\0", shell) + "\0");
        } catch (IOException e) {
            writer.close();
            delete(dir, fifo);
            throw e;
        }
    }

    /** The process: the shell until the gate opens, then the command (an exec keeps the pid). */
    Process process() {
        return process;
    }

    int pid() {
        return (int) process.pid();
    }

    /**
     * Waits until the shell waits at the gate: its subshell exists and reads the FIFO. From then on the shell makes no
     * descriptor call until its exec, so its table is what the command starts with.
     */
    boolean awaitReady(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        Path children = Path.of("/proc", Long.toString(process.pid()), "task", Long.toString(process.pid()), "children");
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                String c = Files.readString(children).strip();
                if (!c.isEmpty()) {
                    Path stdin = Path.of("/proc", c.split("\\s+")[0], "fd", "0");
                    if (Files.readSymbolicLink(stdin).equals(fifo)) return true;
                }
            } catch (IOException e) {
                // not there yet
            }
            pause();
        }
        return false;
    }

    /** Lets the command run. */
    void open() throws IOException {
        writer.write("go\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether the shell has exec'd: its command line is no longer its own. */
    boolean isPastGate() {
        String now = new LinuxProcess(pid()).commandLine();
        return now != null && !now.isEmpty() && !now.equals(shellCommandLine); // empty: exiting; null: gone
    }

    /** Closes jhtrace's end: a shell still at the gate then exits without running the command. */
    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            // closed
        }
        delete(dir, fifo);
    }

    static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(Path dir, Path fifo) {
        try {
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left in the temp directory
        }
    }
}
