package dev.jhtrace.dbgeng.api;

import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.SymbolResolver;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one dbgeng engine of this JVM, serving every target. dbgeng has one engine per process: every
 * client {@code DebugCreate} hands out shares it, and WaitForEvent belongs to the thread that started dbgeng's
 * session (windows-kernel-facts.md, "dbgeng"; research brief §0.6). So the targets a JVM holds (the shell's
 * several attaches, a Groovy script's processes) are all attached through one {@link DbgEngClient}; each
 * call for a target first makes it the current process, and closing a target's {@link Attachment}
 * detaches that process only. The client is closed with its last target.
 * <p>
 * {@link #shared()} is the JVM-wide host: a static because the engine it stands for is itself one per
 * process, whatever number of {@code WindowsEngine} instances ServiceLoader makes. Thread-safe.
 */
public final class DbgEngHost {
    private static final DbgEngHost SHARED = new DbgEngHost(DbgEngClient::start);

    private final Supplier<DbgEngClient> starter;
    private final Map<Integer, Integer> openAttachments = new LinkedHashMap<>(); // pid -> how many
    private DbgEngClient client;

    /** @param starter starts the client when the first target comes (tests pass one over a mock backend) */
    public DbgEngHost(Supplier<DbgEngClient> starter) {
        this.starter = starter;
    }

    /** The host of this JVM's one dbgeng engine. */
    public static DbgEngHost shared() {
        return SHARED;
    }

    /**
     * Attaches non-invasively without suspending (once per pid; a second request shares the attach) and
     * returns the target's symbols. {@code symbolPath}, when given, is set as the client starts.
     */
    public synchronized Attachment attach(int pid, String symbolPath) {
        boolean started = false;
        if (client == null) {
            client = starter.get();
            started = true;
        }
        try {
            if (started && symbolPath != null && !symbolPath.isBlank()) client.setSymbolPath(symbolPath);
            if (!openAttachments.containsKey(pid)) client.attach(pid);
        } catch (RuntimeException e) {
            if (openAttachments.isEmpty()) closeClient();
            throw e;
        }
        openAttachments.merge(pid, 1, Integer::sum);
        return new Attachment(pid);
    }

    /** The pids attached now (diagnostics, tests). */
    public synchronized java.util.Set<Integer> attached() {
        return java.util.Set.copyOf(openAttachments.keySet());
    }

    private synchronized StackFrame resolve(int pid, StackFrame frame) {
        if (!openAttachments.containsKey(pid)) return frame; // closed: frames stay as they are
        return client.onProcess(pid, c -> DbgEngSymbols.resolve(c.symbols(), frame));
    }

    /** Every address in one engine-thread call, the process made current once. */
    private synchronized java.util.Map<Long, StackFrame> resolveAll(int pid, java.util.Collection<Long> addresses) {
        if (!openAttachments.containsKey(pid)) return java.util.Map.of(); // closed: frames stay as they are
        return client.onProcess(pid, c -> {
            java.util.Map<Long, StackFrame> out = new java.util.HashMap<>();
            for (Long a : addresses) out.put(a, DbgEngSymbols.resolve(c.symbols(), StackFrame.unresolved(a)));
            return out;
        });
    }

    private synchronized void release(int pid) {
        Integer left = openAttachments.computeIfPresent(pid, (p, n) -> n > 1 ? n - 1 : null);
        if (left != null) return;
        try {
            if (openAttachments.isEmpty()) closeClient(); else client.detach(pid); // closing (EndSession) detaches the last one
        } catch (RuntimeException e) {
            // the target may have exited; detaching is best effort and the others stay served
        }
    }

    private void closeClient() {
        DbgEngClient c = client;
        client = null;
        if (c != null) c.close();
    }

    /**
     * One share of an attached process: resolves its addresses, and closing it detaches the process once
     * every share of it is closed. Several of the JVM's holders of one pid share a single attach.
     */
    public final class Attachment implements SymbolResolver, AutoCloseable {
        private final int pid;
        private boolean closed;

        private Attachment(int pid) {
            this.pid = pid;
        }

        /** The attached process's id. */
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

        /** Gives up this share, detaching the process (which runs on) once it was the last; idempotent. */
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
