package dev.jhtrace.session;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.testing.Await;
import dev.jhtrace.testing.RecordingSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A diff waits for the threads of fresh opens to make their next call, reading only the events it has not seen. */
class SettleTest {

    @Test
    void aHandleClosedByItsThreadsNextCallIsNotReportedAndTheLogIsNotCopiedPerPoll() throws Exception {
        RecordingSource t = new RecordingSource();
        HtraceSession session = new HtraceSession(t);
        Snapshot start = session.enable(TraceOptions.DEFAULT);
        t.openEpochNanos = System.currentTimeMillis() * 1_000_000L; // fresh: may be passing through
        t.open(3, 0x401000);
        Thread thread = new Thread(() -> {
            // thread 7's next call comes while the diff polls
            try {
                Await.until("the diff polls for newer events", Duration.ofSeconds(10), () -> t.newerReads.get() >= 3);
            } catch (InterruptedException e) {
                return;
            }
            t.close(3);
        });
        thread.start();
        Diff diff = session.diff(start);
        thread.join();
        assertEquals(0, diff.size(), "only passing through: closed by its thread's next call");
        assertEquals(2, t.logCopies.get(), "the log copied for the diff and for the diff after settling, not per poll");
    }

    @Test
    void aHandleItsThreadIsReleasingIsNotReportedAndOneNoThreadReleasesIs() {
        RecordingSource t = new RecordingSource();
        HtraceSession session = new HtraceSession(t);
        Snapshot start = session.enable(TraceOptions.DEFAULT);
        t.openEpochNanos = System.currentTimeMillis() * 1_000_000L; // fresh: may be passing through
        t.open(3, 0x401000);
        t.open(4, 0x401000);
        // the tracer holds the thread at close(3): the table still has 3 and the trace no close yet
        t.releasing.add(3L);
        long started = System.nanoTime();
        Diff diff = session.diff(start);
        assertEquals(java.util.List.of(4L), diff.outstanding().stream().map(h -> h.handle()).toList(), "3 is being closed, 4 is not");
        // 4's thread never calls again and no event comes: one idle period, not the whole timeout
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        org.junit.jupiter.api.Assertions.assertTrue(tookMillis < HtraceSession.SETTLE_TIMEOUT_MILLIS, tookMillis + " ms");
    }

    /**
     * A handle whose open the tracer reports only after the table was read has no stack in the first diff, so
     * nobody waits for its thread; the events that arrive while settling name it, and the next round waits for
     * that thread, whose next call closes it. One round would report it.
     */
    @Test
    void anOpenReportedWhileSettlingIsWaitedForInTheNextRound() throws Exception {
        RecordingSource t = new RecordingSource();
        HtraceSession session = new HtraceSession(t);
        Snapshot start = session.enable(TraceOptions.DEFAULT);
        t.openEpochNanos = System.currentTimeMillis() * 1_000_000L; // fresh: may be passing through
        t.open(3, 0x401000); // thread 7, reported
        t.openUnreported(4); // thread 8's open: in the table, not yet in the trace
        Thread tracer = new Thread(() -> {
            try {
                Await.until("the first round polls", Duration.ofSeconds(10), () -> t.newerReads.get() >= 3);
                t.reportOpen(4, 8, 0x402000);
                t.close(3, 7); // thread 7's next call: the first round has nothing left to wait for
                int reads = t.newerReads.get();
                Await.until("the second round polls", Duration.ofSeconds(10), () -> t.newerReads.get() >= reads + 3);
                t.close(4, 8); // thread 8's next call
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        tracer.start();
        Diff diff = session.diff(start);
        tracer.join();
        assertEquals(0, diff.size(), "both only passing through: " + diff.outstanding());
    }
}
