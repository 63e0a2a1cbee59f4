package dev.jhtrace.recorder;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PollLoopTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void readsInTheBackgroundUntilStopped() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        PollLoop loop = new PollLoop("t-poll", 5, reads::incrementAndGet, () -> true);
        loop.start();
        loop.start(); // no second thread
        Await.until("three reads", DEADLINE, () -> reads.get() >= 3);
        loop.stop();
        assertFalse(loop.isRunning());
        loop.throwFailure(); // nothing failed
    }

    @Test
    void quietAfterTheTargetExits() throws Exception {
        AtomicBoolean alive = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        PollLoop loop = new PollLoop("t-poll", 5, () -> {
            reads.incrementAndGet();
            alive.set(false); // the target exits during this read, which then fails
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "gone");
        }, alive::get);
        loop.start();
        Await.until("the loop stops itself", DEADLINE, () -> !loop.isRunning());
        loop.throwFailure(); // quiet: the trace went with the target
        assertEquals(1, reads.get());
    }

    @Test
    void aFailureWhileTheTargetRunsStopsTheLoopAndIsThrownOnce() throws Exception {
        JhtraceException broken = new JhtraceException(Failure.OTHER, "ring unreadable");
        PollLoop loop = new PollLoop("t-poll", 5, () -> {
            throw broken;
        }, () -> true);
        loop.start();
        Await.until("the loop stops itself", DEADLINE, () -> !loop.isRunning());
        assertSame(broken, assertThrows(JhtraceException.class, loop::throwFailure));
        loop.throwFailure(); // once
    }

    @Test
    void aBugInTheReadIsReportedAsAFailure() throws Exception {
        PollLoop loop = new PollLoop("t-poll", 5, () -> {
            throw new IllegalStateException("bug");
        }, () -> true);
        loop.start();
        Await.until("the loop stops itself", DEADLINE, () -> !loop.isRunning());
        JhtraceException e = assertThrows(JhtraceException.class, loop::throwFailure);
        assertEquals(Failure.OTHER, e.failure());
    }
}
