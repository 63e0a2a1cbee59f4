package dev.jhtrace.shell.api;

/**
 * Ctrl-C for scripts and REPL commands: {@link #cancel()} makes the next wait ({@link #sleepMillis}) or check
 * ({@link #check()}) throw {@link Cancelled}. Engine calls in progress are never interrupted, so a target is
 * never left stopped half-way. Thread-safe.
 */
final class Cancellation {
    private final Object lock = new Object();
    private boolean cancelled;

    /** Sleeps {@code millis}, ended early by {@link #cancel()} or an interrupt with {@link Cancelled}. */
    void sleepMillis(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        synchronized (lock) {
            while (true) {
                if (cancelled) throw new Cancelled();
                long left = end - System.nanoTime();
                if (left <= 0) return;
                try {
                    lock.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Cancelled();
                }
            }
        }
    }

    /** Throws {@link Cancelled} when a cancel is pending. */
    void check() {
        synchronized (lock) {
            if (cancelled) throw new Cancelled();
        }
    }

    void cancel() {
        synchronized (lock) {
            cancelled = true;
            lock.notifyAll();
        }
    }

    /** Clears a pending cancel; returns whether there was one. */
    boolean reset() {
        synchronized (lock) {
            boolean was = cancelled;
            cancelled = false;
            return was;
        }
    }
}
