package dev.jhtrace.perf;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceRetention;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Enumeration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A simulated flood: perf's pipe stream for far more events than the recorder may keep, generated as it is read (never
 * whole in memory), through the same reader, sorter, decoder and recorder as a live trace.
 */
class PerfRecorderFloodTest {
    private static final int PID = Integer.MAX_VALUE; // no such process: its starting table is empty
    private static final TracepointFormat OPENAT = PipeStreams.format("syscalls:sys_exit_openat");
    private static final TracepointFormat CLOSE = PipeStreams.format("syscalls:sys_enter_close");

    /** {@code pairs} openat+close pairs of one thread, a round mark every 1,000, then a PERF_RECORD_LOST of {@code lostRecord}. */
    static InputStream flood(int pairs, long lostRecord) {
        byte[] openRaw = PipeStreams.raw(OPENAT, Map.of("ret", 3L));
        byte[] closeRaw = PipeStreams.raw(CLOSE, Map.of("fd", 3L));
        return new SequenceInputStream(new Enumeration<>() {
            private int i = -1;

            @Override
            public boolean hasMoreElements() {
                return i <= pairs;
            }

            @Override
            public InputStream nextElement() {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (i == -1) {
                    out.writeBytes(PipeStreams.fileHeader());
                    out.writeBytes(PipeStreams.attr(OPENAT, 100));
                    out.writeBytes(PipeStreams.attr(CLOSE, 200));
                } else if (i == pairs) {
                    out.writeBytes(PipeStreams.lost(lostRecord));
                } else {
                    long t = 1_000_000_000L + 10L * i;
                    out.writeBytes(PipeStreams.sample(100, PID, PID, t, openRaw));
                    out.writeBytes(PipeStreams.sample(200, PID, PID, t + 5, closeRaw));
                    if (i % 1000 == 999) out.writeBytes(PipeStreams.round());
                }
                i++;
                return new ByteArrayInputStream(out.toByteArray());
            }
        });
    }

    /**
     * A flood of descriptors opened and closed at once: the bound holds, the settled pairs are forgotten (no diff needs
     * them) rather than counted lost, and perf's own loss is counted.
     */
    @Test
    void aFloodKeepsTheRetentionBoundForgetsTheSettledPairsAndCountsPerfsLossAsLost() throws Exception {
        int pairs = 300_000;
        int kept = 1_000;
        PerfTracing tracing = new PerfTracing(PerfInstallation.fromPath(), PID, new TraceRetention(kept));
        tracing.decode(flood(pairs, 77), TraceOptions.DEFAULT, Map.of(OPENAT.id(), OPENAT, CLOSE.id(), CLOSE));
        assertEquals(2L * pairs, tracing.eventCount());
        assertTrue(tracing.retainedEvents() <= kept, "within the bound: " + tracing.retainedEvents());
        TraceLog log = tracing.log();
        assertTrue(log.wrapped());
        assertEquals(77L, log.lostEvents(), "perf's LOST record only: nothing the bound dropped");
        // the newest are kept, in kernel order: the thread's last close and its open
        int n = log.size();
        assertEquals(EventKind.CLOSE, log.events().get(n - 1).kind());
        assertEquals(EventKind.OPEN, log.events().get(n - 2).kind());
        assertEquals(tracing.lastOrder(), log.lastOrder());
        for (int i = 1; i < n; i++) assertTrue(log.events().get(i).order() > log.events().get(i - 1).order());
        assertEquals(0, tracing.heldStacks()[0], "nothing open: no raw stack held");
    }
}
