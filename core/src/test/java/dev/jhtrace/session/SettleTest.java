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
}
