package dev.jhtrace.dbgeng.api;

import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.SymbolResolver;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one dbgeng engine of this JVM, serving every target. dbgeng has one engine per process: every
 * client {@code DebugCreate} hands out shares it, and WaitForEvent belongs to the thread that started the
 * session (windows-kernel-facts.md, "dbgeng"; research brief §0.6). So the targets a JVM holds (the shell's
 * several attaches, a Groovy script's processes) are all attached in one {@link DbgEngSession}; each call
 * for a target first makes it the current process, and closing a target detaches that process only. The
 * session ends with its last target.
 * <p>
 * {@link #shared()} is the JVM-wide host: a static because the engine it stands for is itself one per
 * process, whatever number of {@code WindowsEngine} instances ServiceLoader makes. Thread-safe.
 */
public final class DbgEngHost {
    private static final DbgEngHost SHARED = new DbgEngHost(DbgEngSession::start);

    private final Supplier<DbgEngSession> starter;
    private final Map<Integer, Integer> users = new LinkedHashMap<>(); // pid -> open Targets
    private DbgEngSession session;

    /** @param starter starts the session when the first target comes (tests pass one over a mock backend) */
    public DbgEngHost(Supplier<DbgEngSession> starter) {
        this.starter = starter;
    }

    /** The host of this JVM's one dbgeng engine. */
    public static DbgEngHost shared() {
        return SHARED;
    }

    /**
     * Attaches non-invasively without suspending (once per pid; a second request shares the attach) and
     * returns the target's symbols. {@code symbolPath}, when given, is set as the session starts.
     */
    public synchronized Target attach(int pid, String symbolPath) {
        boolean started = false;
        if (session == null) {
            session = starter.get();
            started = true;
        }
        try {
            if (started && symbolPath != null && !symbolPath.isBlank()) session.setSymbolPath(symbolPath);
            if (!users.containsKey(pid)) session.attach(pid);
        } catch (RuntimeException e) {
            if (users.isEmpty()) endSession();
            throw e;
        }
        users.merge(pid, 1, Integer::sum);
        return new Target(pid);
    }

    /** The pids attached now (diagnostics, tests). */
    public synchronized java.util.Set<Integer> attached() {
        return java.util.Set.copyOf(users.keySet());
    }

    private synchronized StackFrame resolve(int pid, StackFrame frame) {
        if (!users.containsKey(pid)) return frame; // closed: frames stay as they are
        return session.onProcess(pid, c -> DbgEngSymbols.resolve(c.symbols(), frame));
    }

    /** Every address in one engine-thread call, the process made current once. */
    private synchronized java.util.Map<Long, StackFrame> resolveAll(int pid, java.util.Collection<Long> addresses) {
        if (!users.containsKey(pid)) return java.util.Map.of(); // closed: frames stay as they are
        return session.onProcess(pid, c -> {
            java.util.Map<Long, StackFrame> out = new java.util.HashMap<>();
            for (Long a : addresses) out.put(a, DbgEngSymbols.resolve(c.symbols(), StackFrame.unresolved(a)));
            return out;
        });
    }

    private synchronized void release(int pid) {
        Integer left = users.computeIfPresent(pid, (p, n) -> n > 1 ? n - 1 : null);
        if (left != null) return;
        try {
            if (users.isEmpty()) endSession(); else session.detach(pid); // EndSession detaches the last one
        } catch (RuntimeException e) {
            // the target may have exited; detaching is best effort and the others stay served
        }
    }

    private void endSession() {
        DbgEngSession s = session;
        session = null;
        if (s != null) s.close();
    }

    /** One target's share of the host: its symbols, and closing detaches it (once every share is closed). */
    public final class Target implements SymbolResolver, AutoCloseable {
        private final int pid;
        private boolean closed;

        private Target(int pid) {
            this.pid = pid;
        }

        /** The target's process id. */
        public int pid() {
            return pid;
        }

        @Override
        public StackFrame resolve(StackFrame frame) {
            return DbgEngHost.this.resolve(pid, frame);
        }

        /** One round trip to the engine thread for all of them. */
        @Override
        public java.util.Map<Long, StackFrame> resolveAll(java.util.Collection<Long> addresses) {
            return DbgEngHost.this.resolveAll(pid, addresses);
        }

        /** Detaches this target (the process runs on); idempotent. */
        @Override
        public void close() {
            synchronized (DbgEngHost.this) {
                if (closed) return;
                closed = true;
                release(pid);
            }
        }
    }
}
