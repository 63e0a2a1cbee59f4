package dev.jhtrace.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for a condition, with a deadline, instead of sleeping and hoping it came true meanwhile. */
public final class Await {
    private static final long POLL_MILLIS = 2;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds.
     *
     * @param what    the condition, for the failure message ("the pump idles")
     * @param timeout how long to wait at most
     * @throws AssertionError when the deadline passes first
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("waited " + timeout + " in vain until " + what);
            Thread.sleep(POLL_MILLIS);
        }
    }
}
