package dev.jhtrace.perf;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceRetention;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A simulated flood: perf script's text for far more events than the recorder may keep, generated as it is read (never
 * whole in memory), through the same parser, decoder and recorder as a live trace.
 */
class PerfRecorderFloodTest {
    private static final int PID = Integer.MAX_VALUE; // no such process: its starting table is empty

    /** {@code pairs} openat+close pairs of one thread, then a PERF_RECORD_LOST of {@code lostRecord}. */
    private static InputStream flood(int pairs, long lostRecord) {
        return new SequenceInputStream(new Enumeration<>() {
            private int i;

            @Override
            public boolean hasMoreElements() {
                return i <= pairs;
            }

            @Override
            public InputStream nextElement() {
                String text;
                if (i == pairs) {
                    text = "PERF_RECORD_LOST lost " + lostRecord + "\n";
                } else {
                    long t = 1_000_000_000L + 10L * i;
                    text = PID + "/" + PID + "  " + t / 1_000_000_000L + "." + String.format("%09d", t % 1_000_000_000L)
                            + ": syscalls:sys_exit_openat: 0x3\n"
                            + "\t            11a5 acquire_" + (i % 7) + "+0x1c ([unknown])\n"
                            + "\t            1200 main+0x10 ([unknown])\n\n"
                            + PID + "/" + PID + "  " + (t + 5) / 1_000_000_000L + "." + String.format("%09d", (t + 5) % 1_000_000_000L)
                            + ": syscalls:sys_enter_close: fd: 0x00000003\n";
                }
                i++;
                return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    @Test
    void aFloodKeepsTheRetentionBoundAndCountsTheRestAndPerfsLossAsLost() throws Exception {
        int pairs = 300_000;
        int kept = 1_000;
        PerfTracing tracing = new PerfTracing(PerfInstallation.fromPath(), PID, new TraceRetention(kept));
        tracing.decode(flood(pairs, 77), TraceOptions.DEFAULT);
        assertEquals(2L * pairs, tracing.eventCount());
        assertEquals(kept, tracing.retainedEvents());
        TraceLog log = tracing.log();
        assertTrue(log.wrapped());
        assertEquals(2L * pairs - kept + 77, log.lostEvents(), "dropped by the retention bound, plus perf's LOST record");
        // the newest are kept, in kernel order, with their stacks
        assertEquals(EventKind.CLOSE, log.events().get(kept - 1).kind());
        assertTrue(log.events().get(kept - 2).stack().frames().get(0).function().startsWith("acquire_"));
        for (int i = 1; i < kept; i++) assertTrue(log.events().get(i).order() > log.events().get(i - 1).order());
    }
}
