package dev.jhtrace.recorder;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The background thread that reads an engine's trace into its {@link EventRecorder} every interval, so callers
 * need not poll. Quiet after the target exits: the loop then stops, and a read that fails because the target
 * went away is no error. A read that fails while the target still runs stops the loop too, and is thrown, once,
 * by the next {@link #throwFailure()} (the engine calls it before answering its caller).
 * Thread-safe; {@code read} must do its own locking.
 */
public final class PollLoop {
    private final String threadName;
    private final long intervalMillis;
    private final Runnable read;
    private final BooleanSupplier targetAlive;
    private ScheduledExecutorService executor;
    private JhtraceException failure;

    /**
     * @param threadName     the daemon thread's name ("jhtrace-gdb-drain-1234")
     * @param intervalMillis pause between reads, positive
     * @param read           one read of the engine's trace
     * @param targetAlive    whether the target (and the engine's hold on it) is still there
     */
    public PollLoop(String threadName, long intervalMillis, Runnable read, BooleanSupplier targetAlive) {
        if (intervalMillis <= 0) throw new IllegalArgumentException("poll interval must be positive: " + intervalMillis);
        this.threadName = threadName;
        this.intervalMillis = intervalMillis;
        this.read = read;
        this.targetAlive = targetAlive;
    }

    /** Starts reading in the background; nothing changes when it already does. */
    public synchronized void start() {
        if (executor != null) return;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::readOnce, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** True while the loop reads in the background. */
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /** Stops the loop; a read in progress finishes. Idempotent. */
    public synchronized void stop() {
        if (executor != null) executor.shutdown();
        executor = null;
    }

    /** Throws, once, the failure that stopped the loop while the target still ran; else returns. */
    public void throwFailure() {
        JhtraceException f;
        synchronized (this) {
            f = failure;
            failure = null;
        }
        if (f != null) throw f;
    }

    private void readOnce() {
        try {
            if (!targetAlive.getAsBoolean()) {
                stop();
                return;
            }
            read.run();
        } catch (JhtraceException e) {
            if (targetAlive.getAsBoolean()) fail(e); // else the trace went with the target: quiet
            stop();
        } catch (RuntimeException e) {
            fail(new JhtraceException(Failure.OTHER, "reading the trace failed: " + e, e));
            stop();
        }
    }

    private synchronized void fail(JhtraceException e) {
        failure = e;
    }
}
