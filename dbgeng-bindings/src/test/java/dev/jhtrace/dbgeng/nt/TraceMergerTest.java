package dev.jhtrace.dbgeng.nt;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceMergerTest {

    private static RawTraceEntry e(long handle, int type, long frame) {
        return new RawTraceEntry(handle, 1, 2, type, new long[]{frame});
    }

    /** The ring after {@code ops} with {@code capacity} slots, newest first as the kernel answers. */
    private static List<RawTraceEntry> ring(List<RawTraceEntry> ops, int capacity) {
        List<RawTraceEntry> r = new ArrayList<>(ops.subList(Math.max(0, ops.size() - capacity), ops.size()));
        java.util.Collections.reverse(r);
        return r;
    }

    private static List<RawTraceEntry> ops(int from, int to) {
        List<RawTraceEntry> list = new ArrayList<>();
        for (int i = from; i < to; i++) list.add(e(i * 4L, i % 2 == 0 ? 1 : 2, 0x1000 + i));
        return list;
    }

    @Test
    void firstReadIsTakenWholeOldestFirst() {
        TraceMerger m = new TraceMerger();
        List<RawTraceEntry> all = ops(0, 5);
        TraceMerger.Merge r = m.merge(ring(all, 128));
        assertEquals(all, r.added());
        assertFalse(r.gap());
    }

    @Test
    void unchangedRingAddsNothing() {
        TraceMerger m = new TraceMerger();
        m.merge(ring(ops(0, 5), 128));
        assertEquals(List.of(), m.merge(ring(ops(0, 5), 128)).added());
    }

    @Test
    void growingRingAddsOnlyTheNewEntries() {
        TraceMerger m = new TraceMerger();
        m.merge(ring(ops(0, 50), 128));
        TraceMerger.Merge r = m.merge(ring(ops(0, 60), 128));
        assertEquals(ops(50, 60), r.added());
        assertFalse(r.gap());
    }

    @Test
    void wrapWithOverlapLosesNothing() {
        TraceMerger m = new TraceMerger();
        List<RawTraceEntry> all = ops(0, 300);
        m.merge(ring(all.subList(0, 100), 128));
        // 100 more operations: the ring (128) dropped the 72 oldest, but the previous newest 8 are still there
        TraceMerger.Merge r = m.merge(ring(all.subList(0, 200), 128));
        assertEquals(all.subList(100, 200), r.added());
        assertFalse(r.gap());
        assertEquals(0, m.gaps());
    }

    @Test
    void wrapPastTheMarkerIsAGap() {
        TraceMerger m = new TraceMerger();
        List<RawTraceEntry> all = ops(0, 400);
        m.merge(ring(all.subList(0, 100), 128));
        TraceMerger.Merge r = m.merge(ring(all.subList(0, 300), 128)); // 200 new > 128 slots: the marker is gone
        assertTrue(r.gap());
        assertEquals(all.subList(172, 300), r.added());
        assertEquals(1, m.gaps());
        // the next read merges normally again
        TraceMerger.Merge next = m.merge(ring(all.subList(0, 310), 128));
        assertFalse(next.gap());
        assertEquals(all.subList(300, 310), next.added());
    }

    @Test
    void repeatedIdenticalEntriesAreNotCountedTwice() {
        // a loop that opens and closes the same handle value from the same stack
        List<RawTraceEntry> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) all.add(e(0x44, i % 2 == 0 ? 1 : 2, 0x5000));
        TraceMerger m = new TraceMerger();
        m.merge(ring(all.subList(0, 20), 128));
        TraceMerger.Merge r = m.merge(ring(all, 128));
        assertEquals(20, r.added().size());
        assertFalse(r.gap());
    }

    @Test
    void aWipedRingIsAGap() {
        TraceMerger m = new TraceMerger();
        m.merge(ring(ops(0, 30), 128));
        TraceMerger.Merge r = m.merge(ring(ops(1000, 1003), 128)); // someone re-enabled: fresh ring
        assertTrue(r.gap());
        assertEquals(ops(1000, 1003), r.added());
    }

    @Test
    void shortPreviousReadUsesAShorterMarker() {
        TraceMerger m = new TraceMerger(8);
        m.merge(ring(ops(0, 3), 128));
        assertEquals(ops(3, 6), m.merge(ring(ops(0, 6), 128)).added());
    }
}
