package dev.jhtrace.dbgeng.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineThreadTest {
    private EngineThread engine;

    @AfterEach
    void stop() throws Exception {
        if (engine != null) engine.shutdown(() -> { }).get(10, TimeUnit.SECONDS);
    }

    /** Behaves like DispatchCallbacks/ExitDispatch: idle blocks until woken or timed out. */
    static final class FakePump implements EngineThread.Pump {
        final Semaphore exit = new Semaphore(0);
        final AtomicInteger wakes = new AtomicInteger();
        final AtomicInteger idles = new AtomicInteger();

        @Override
        public void idle(int timeoutMillis) {
            idles.incrementAndGet();
            try {
                exit.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void wake() {
            wakes.incrementAndGet();
            exit.release();
        }
    }

    @Test
    void workRunsOnTheEngineThreadInSubmissionOrder() throws Exception {
        engine = EngineThread.start("t-engine", 50);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            futures.add(engine.submit(() -> {
                order.add(n);
                threads.add(Thread.currentThread());
                return n * n;
            }));
        }
        for (int i = 0; i < 20; i++) assertEquals(i * i, futures.get(i).get(10, TimeUnit.SECONDS));
        assertEquals(20, order.size());
        for (int i = 0; i < 20; i++) assertEquals(i, order.get(i));
        assertTrue(threads.stream().allMatch(t -> t == engine.thread()));
        assertNotSame(Thread.currentThread(), engine.thread());
    }

    @Test
    void submitFromAnotherThreadWakesTheIdlePump() throws Exception {
        engine = EngineThread.start("t-engine", 60_000); // a missed wake would stall this test for a minute
        FakePump pump = new FakePump();
        engine.call(() -> {
            engine.setPump(pump);
            return null;
        }, 10_000);
        Await.until("the pump idles", Duration.ofSeconds(10), () -> pump.idles.get() > 0);
        assertEquals("done", engine.call(() -> "done", 10_000));
        assertTrue(pump.wakes.get() >= 1, "ExitDispatch-style wake was used");
    }

    @Test
    void callOnTheEngineThreadRunsDirectly() throws Exception {
        engine = EngineThread.start("t-engine", 50);
        String nested = engine.call(() -> engine.call(() -> "inner", 1), 10_000);
        assertEquals("inner", nested);
    }

    @Test
    void failuresReachTheCallerAsTheyAre() {
        engine = EngineThread.start("t-engine", 50);
        JhtraceException boom = new JhtraceException(Failure.TARGET_NOT_FOUND, "gone");
        JhtraceException e = assertThrows(JhtraceException.class, () -> engine.call(() -> {
            throw boom;
        }, 10_000));
        assertSame(boom, e);
    }

    @Test
    void slowWorkTimesOutWithOneLineError() throws Exception {
        engine = EngineThread.start("t-engine", 50);
        CountDownLatch release = new CountDownLatch(1);
        JhtraceException e = assertThrows(JhtraceException.class, () -> engine.call(() -> release.await(10, TimeUnit.SECONDS), 50));
        release.countDown();
        assertEquals(Failure.OTHER, e.failure());
        assertEquals("dbgeng did not answer within 50 ms (interrupt it or raise the timeout)", e.getMessage());
    }

    @Test
    void shutdownRunsAfterQueuedWorkAndRefusesLaterWork() throws Exception {
        engine = EngineThread.start("t-engine", 50);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        engine.submit(() -> {
            gate.await(10, TimeUnit.SECONDS);
            log.add("queued-1");
            return null;
        });
        engine.submit(() -> log.add("queued-2"));
        CompletableFuture<Void> ended = engine.shutdown(() -> log.add("last:" + Thread.currentThread().getName()));
        CompletableFuture<Object> late = engine.submit(() -> log.add("late"));
        gate.countDown();
        ended.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("queued-1", "queued-2", "last:t-engine"), log);
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(1, TimeUnit.SECONDS));
        assertEquals("the dbgeng engine thread has stopped", e.getCause().getMessage());
        engine.thread().join(10_000); // the future completes as the thread's last act, a moment before it is gone
        assertTrue(!engine.thread().isAlive());
    }

    @Test
    void failingPumpDoesNotSpinOrStopTheThread() throws Exception {
        engine = EngineThread.start("t-engine", 20);
        List<Long> idleNanos = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine.call(() -> {
            engine.setPump(new EngineThread.Pump() {
                @Override
                public void idle(int timeoutMillis) {
                    idleNanos.add(System.nanoTime());
                    throw new IllegalStateException("DispatchCallbacks failed");
                }

                @Override
                public void wake() {
                }
            });
            return null;
        }, 10_000);
        Await.until("six failing idles", Duration.ofSeconds(10), () -> idleNanos.size() >= 6);
        long spanMillis = (idleNanos.get(5) - idleNanos.get(0)) / 1_000_000;
        // five waits of the 20 ms idle period between them (one may end early, as Object.wait may); a spin takes microseconds
        assertTrue(spanMillis >= 4 * 20, "the thread waited between failing idles: " + spanMillis + " ms for five");
        assertEquals(42, engine.call(() -> 42, 10_000));
    }

    @Test
    void setPumpOffTheEngineThreadIsRefused() {
        engine = EngineThread.start("t-engine", 50);
        assertThrows(IllegalStateException.class, () -> engine.setPump(new FakePump()));
    }
}
