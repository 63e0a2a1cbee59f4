package dev.jhtrace.dbgeng.engine;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one thread that owns a dbgeng client. dbgeng requires client methods to run on the creating thread
 * and delivers callbacks only there, so every piece of work is queued here ({@link #submit}); when idle,
 * the thread pumps callbacks ({@link Pump#idle}, i.e. DispatchCallbacks) and other threads wake it with
 * {@link Pump#wake} (ExitDispatch, documented as callable from any thread). A wake that races with the
 * start of a dispatch costs at most one idle period, never a lost task.
 */
public final class EngineThread {
    private static final System.Logger LOG = System.getLogger(EngineThread.class.getName());

    /** What the engine thread does while it has nothing queued, and how other threads interrupt that. */
    public interface Pump {
        /** Engine thread: wait up to {@code timeoutMillis} delivering callbacks. */
        void idle(int timeoutMillis);

        /** Any thread: make a running {@link #idle} return now. */
        void wake();
    }

    private final Thread thread;
    private final int idleMillis;
    private final Deque<Task> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile Pump pump;
    private volatile boolean idling;
    private boolean stopping; // guarded by queue

    private EngineThread(String name, int idleMillis) {
        this.idleMillis = idleMillis;
        this.thread = new Thread(this::loop, name);
        // Daemon: a forgotten client must not keep the JVM alive; close() still detaches properly.
        thread.setDaemon(true);
    }

    /**
     * Starts a new engine thread.
     *
     * @param idleMillis longest a queued task waits when a wake is missed (also the DispatchCallbacks timeout)
     */
    public static EngineThread start(String name, int idleMillis) {
        if (idleMillis <= 0) throw new IllegalArgumentException("idleMillis must be positive: " + idleMillis);
        EngineThread t = new EngineThread(name, idleMillis);
        t.thread.start();
        return t;
    }

    /** Installs the callback pump (engine thread, once the client exists); null removes it. */
    public void setPump(Pump pump) {
        requireEngineThread("setPump");
        this.pump = pump;
    }

    /** True on the engine thread itself. */
    public boolean isEngineThread() {
        return Thread.currentThread() == thread;
    }

    /** The engine thread (for ownership checks and diagnostics). */
    public Thread thread() {
        return thread;
    }

    /** Throws unless called on the engine thread. */
    public void requireEngineThread(String what) {
        if (!isEngineThread()) {
            throw new IllegalStateException(what + " must run on the engine thread '" + thread.getName()
                    + "', not on '" + Thread.currentThread().getName() + "'");
        }
    }

    /** Queues work for the engine thread; the future completes with its result or failure. */
    public <T> CompletableFuture<T> submit(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Task task = new Task(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, result::completeExceptionally);
        synchronized (queue) {
            if (stopping) {
                result.completeExceptionally(stopped());
                return result;
            }
            queue.addLast(task);
            queue.notifyAll();
        }
        Pump p = pump;
        if (idling && p != null) {
            try {
                p.wake();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "wake failed; the task runs after the idle period", e);
            }
        }
        return result;
    }

    /**
     * Runs work on the engine thread and waits for it: directly when already there (no self-deadlock),
     * otherwise through the queue. Failures are rethrown as they are; a timeout is a one-line error.
     */
    public <T> T call(Callable<T> work, long timeoutMillis) {
        if (isEngineThread()) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new JhtraceException(Failure.OTHER, e.getMessage(), e);
            }
        }
        CompletableFuture<T> f = submit(work);
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new JhtraceException(Failure.OTHER, String.valueOf(cause.getMessage()), cause);
        } catch (TimeoutException e) {
            throw new JhtraceException(Failure.OTHER, "dbgeng did not answer within " + timeoutMillis
                    + " ms (interrupt it or raise the timeout)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JhtraceException(Failure.OTHER, "interrupted while waiting for dbgeng");
        }
    }

    /**
     * Runs {@code last} as the final task (after everything already queued), then ends the thread. Work
     * submitted afterwards fails at once. The future completes as the thread's last act, when it will run
     * nothing more.
     */
    public CompletableFuture<Void> shutdown(Runnable last) {
        synchronized (queue) {
            if (!stopping) {
                queue.addLast(new Task(() -> {
                    try {
                        last.run();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "engine shutdown step failed", e);
                    } finally {
                        pump = null;
                    }
                }, t -> { }));
                stopping = true;
                queue.notifyAll();
            }
        }
        Pump p = pump;
        if (p != null && idling) {
            try {
                p.wake();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "wake failed during shutdown", e);
            }
        }
        return terminated;
    }

    /** Completes as the thread's last act, when it will run nothing more ({@link Thread#join} to see it gone). */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    private void loop() {
        try {
            while (true) {
                Task task;
                synchronized (queue) {
                    task = queue.pollFirst();
                    if (task == null && stopping) return;
                    if (task == null && pump == null) {
                        queue.wait(idleMillis);
                        continue;
                    }
                }
                if (task != null) {
                    task.run().run();
                } else {
                    idleOnce();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (queue) {
                stopping = true;
                // Anything left (only possible after an interrupt) fails instead of hanging its caller.
                for (Task t : queue) t.fail().accept(stopped());
                queue.clear();
            }
            terminated.complete(null);
        }
    }

    private void idleOnce() throws InterruptedException {
        Pump p = pump;
        if (p == null) return;
        idling = true;
        try {
            synchronized (queue) {
                if (!queue.isEmpty()) return;
            }
            p.idle(idleMillis);
        } catch (RuntimeException e) {
            // A failing pump must not spin the thread: wait as if idle, then try again.
            LOG.log(System.Logger.Level.DEBUG, "callback pump failed", e);
            synchronized (queue) {
                if (queue.isEmpty()) queue.wait(idleMillis);
            }
        } finally {
            idling = false;
        }
    }

    /** Queued work and how to fail it if it can never run. */
    private record Task(Runnable run, java.util.function.Consumer<Throwable> fail) {
    }

    private static JhtraceException stopped() {
        return new JhtraceException(Failure.OTHER, "the dbgeng engine thread has stopped");
    }
}
