package dev.jhtrace.gdb.mi;

import java.nio.file.Path;

import java.nio.file.Files;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A gdb process driven through GDB/MI version 3 ({@code gdb -q -nx --interpreter=mi3}).
 * Commands are sent one at a time with a numeric token and their answers matched by it; async
 * ({@code * + =}) and stream records go to listeners on the reader thread. Thread-safe: callers on
 * several threads take turns. {@link #close()} ends gdb with {@code -gdb-exit} (and kills gdb, never
 * the target, if it does not answer).
 */
public final class GdbMi implements AutoCloseable {
    private static final int STDERR_LINES_KEPT = 20;

    private final Process process;
    private final OutputStream stdin;
    private final AtomicLong nextToken = new AtomicLong(1);
    private final ReentrantLock commandLock = new ReentrantLock();
    private final List<Consumer<MiRecord>> listeners = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Object pendingLock = new Object();
    private Pending pending; // the one command in flight, guarded by pendingLock
    private volatile boolean exited;

    private record Pending(long token, CompletableFuture<MiResponse> future, List<String> console, List<String> log) {
    }

    private record Waiter(Predicate<MiRecord.Async> until, CompletableFuture<MiRecord.Async> future) {
    }

    private GdbMi(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::readLoop, "gdb-mi-reader-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        Thread err = new Thread(this::stderrLoop, "gdb-mi-stderr-" + process.pid());
        err.setDaemon(true);
        err.start();
    }

    /**
     * Starts gdb in MI3 mode and waits for its first prompt.
     *
     * @param gdbExecutable path or name of gdb
     * @param timeoutMillis how long to wait for gdb to come up
     */
    public static GdbMi start(String gdbExecutable, long timeoutMillis) {
        List<String> command = new ArrayList<>(List.of(gdbExecutable, "-q", "-nx", "--interpreter=mi3"));
        // in a session of its own, so Ctrl-C at jhtrace's terminal reaches jhtrace and never gdb (which
        // would interrupt the target); setsid execs gdb in place, so gdb stays jhtrace's child
        if (Files.isExecutable(SETSID) && onPath(gdbExecutable)) command.add(0, SETSID.toString());
        ProcessBuilder pb = new ProcessBuilder(command);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot start gdb (" + gdbExecutable + "): " + e.getMessage()
                    + "; install it with: apt-get install gdb", e);
        }
        GdbMi mi = new GdbMi(p);
        // a no-op command proves gdb is up and speaking MI
        mi.execute("-gdb-version", timeoutMillis);
        return mi;
    }

    /** True when {@code executable} (a path, or a name looked up on the PATH) is an executable file. */
    private static boolean onPath(String executable) {
        if (executable.contains("/")) return Files.isExecutable(Path.of(executable));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) return true;
        }
        return false;
    }

    /** gdb's process id. */
    public long pid() {
        return process.pid();
    }

    /** False once gdb has exited. */
    public boolean isAlive() {
        return !exited && process.isAlive();
    }

    /** Completes when gdb's process ends, however it ends. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Receives every async and stream record (on the reader thread; keep it short). */
    public void addListener(Consumer<MiRecord> listener) {
        listeners.add(listener);
    }

    /**
     * Registers interest in an async record before the command that causes it is sent, so it cannot be
     * missed. Wait on the returned future with {@link #await}.
     */
    public CompletableFuture<MiRecord.Async> expect(Predicate<MiRecord.Async> until) {
        Waiter w = new Waiter(until, new CompletableFuture<>());
        waiters.add(w);
        if (exited) w.future.completeExceptionally(gone());
        return w.future;
    }

    /** Waits for a future from {@link #expect}; a clear exception on timeout or gdb exit. */
    public MiRecord.Async await(CompletableFuture<MiRecord.Async> future, String what, long timeoutMillis) {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new JhtraceException(Failure.OTHER, "gdb: no " + what + " within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JhtraceException(Failure.OTHER, "interrupted while waiting for gdb", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof JhtraceException j ? j : new JhtraceException(Failure.OTHER, "gdb: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Sends one MI command (without token) and waits for its result record. An {@code ^error} is returned,
     * not thrown; see {@link #call} for the throwing form.
     */
    public MiResponse execute(String command, long timeoutMillis) {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new JhtraceException(Failure.BAD_INPUT, "a gdb command must be one line");
        }
        commandLock.lock();
        try {
            long token = nextToken.getAndIncrement();
            Pending p = new Pending(token, new CompletableFuture<>(), new ArrayList<>(), new ArrayList<>());
            synchronized (pendingLock) {
                if (exited) throw gone();
                pending = p;
            }
            try {
                stdin.write((token + command + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                throw gone();
            }
            try {
                return p.future.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new JhtraceException(Failure.OTHER, "gdb did not answer '" + command + "' within " + timeoutMillis + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JhtraceException(Failure.OTHER, "interrupted while waiting for gdb", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof JhtraceException j ? j : new JhtraceException(Failure.OTHER, "gdb: " + e.getCause(), e.getCause());
            } finally {
                synchronized (pendingLock) {
                    if (pending == p) pending = null;
                }
            }
        } finally {
            commandLock.unlock();
        }
    }

    /** Like {@link #execute}, but an {@code ^error} becomes a {@link JhtraceException} ({@link Failure#OTHER}). */
    public MiTuple call(String command, long timeoutMillis) {
        MiResponse r = execute(command, timeoutMillis);
        if (r.isError()) throw new JhtraceException(Failure.OTHER, "gdb: " + r.result().errorMessage());
        return r.results();
    }

    /** Quotes a string as an MI c-string argument, e.g. for {@code -interpreter-exec console "..."}. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** The last lines gdb wrote to stderr, for error messages. */
    public String stderrTail() {
        synchronized (stderrTail) {
            return String.join(" | ", stderrTail);
        }
    }

    /** Asks gdb to exit; kills gdb (only gdb) when it does not within two seconds. Idempotent. */
    @Override
    public void close() {
        if (isAlive()) {
            try {
                execute("-gdb-exit", 2000);
            } catch (JhtraceException ignored) {
                // gdb is gone or stuck; handled below
            }
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed by gdb's exit
        }
    }

    private JhtraceException gone() {
        String err = stderrTail();
        return new JhtraceException(Failure.OTHER, "gdb exited" + (err.isEmpty() ? "" : ": " + err));
    }

    private void readLoop() {
        MiParser parser = new MiParser();
        try (InputStream in = process.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        line.write(buf, start, i - start);
                        dispatch(parser, line.toByteArray());
                        line.reset();
                        start = i + 1;
                    }
                }
                line.write(buf, start, n - start);
            }
        } catch (IOException ignored) {
            // gdb closed its output: treated as exit below
        } finally {
            try {
                process.waitFor(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Pending p;
            synchronized (pendingLock) {
                exited = true;
                p = pending;
            }
            JhtraceException gone = gone();
            if (p != null) p.future.completeExceptionally(gone);
            for (Waiter w : waiters) w.future.completeExceptionally(gone);
            waiters.clear();
        }
    }

    private void dispatch(MiParser parser, byte[] raw) {
        if (raw.length == 0) return;
        MiRecord rec;
        try {
            rec = parser.parse(raw);
        } catch (MiParseException e) {
            // a malformed answer to the command in flight fails that command instead of timing it out;
            // anything else is not MI (e.g. output of a program gdb started) and is skipped
            synchronized (pendingLock) {
                if (pending != null && new String(raw, StandardCharsets.ISO_8859_1).startsWith(pending.token + "^")) {
                    pending.future.completeExceptionally(e);
                }
            }
            return;
        }
        if (rec instanceof MiRecord.Result r) {
            synchronized (pendingLock) {
                if (pending != null && pending.token == r.token()) {
                    pending.future.complete(new MiResponse(r, pending.console, pending.log));
                }
            }
        } else if (rec instanceof MiRecord.Stream s) {
            synchronized (pendingLock) {
                if (pending != null) {
                    if (s.kind() == '~') pending.console.add(s.text());
                    else if (s.kind() == '&') pending.log.add(s.text());
                }
            }
            for (Consumer<MiRecord> l : listeners) l.accept(s);
        } else if (rec instanceof MiRecord.Async a) {
            for (Consumer<MiRecord> l : listeners) l.accept(a);
            for (Waiter w : waiters) {
                if (w.future.isDone()) {
                    waiters.remove(w);
                } else if (w.until.test(a)) {
                    w.future.complete(a);
                    waiters.remove(w);
                }
            }
        }
        // a Prompt only ends a batch; results are matched by token
    }

    private void stderrLoop() {
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String s;
            while ((s = r.readLine()) != null) {
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_LINES_KEPT) stderrTail.removeFirst();
                    stderrTail.addLast(s);
                }
            }
        } catch (IOException ignored) {
            // gdb exited
        }
    }
}
