package dev.jhtrace.dbgeng.nt;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins successive reads of the handle-trace ring into one history. The kernel returns the ring
 * newest first, with no timestamps or sequence numbers, and overwrites the oldest slots when it
 * wraps. So each read is matched against the previous one: the previous read's newest entries (the
 * marker run) must reappear in the new read, and everything after their position is new. When the
 * marker is missing, the ring wrapped past it between reads and an unknown number of events was
 * lost: the read is taken whole and the gap is counted. Not thread-safe; the owner synchronizes.
 */
public final class TraceMerger {
    /** Entries of the previous read used as the marker run by default. */
    public static final int DEFAULT_MARKER_LENGTH = 8;

    private final int markerLength;
    private List<RawTraceEntry> previous = List.of(); // the last read, oldest first
    private long gaps;

    /** @param markerLength how many of the previous read's newest entries must be found again (at least 1) */
    public TraceMerger(int markerLength) {
        if (markerLength < 1) throw new IllegalArgumentException("marker length must be at least 1");
        this.markerLength = markerLength;
    }

    public TraceMerger() {
        this(DEFAULT_MARKER_LENGTH);
    }

    /**
     * What one read added.
     *
     * @param added entries not seen before, oldest first
     * @param gap   true when the previous read's marker run was not found: events between the reads were lost
     */
    public record Merge(List<RawTraceEntry> added, boolean gap) {
    }

    /** Merges a read given newest first, as the kernel returns it. */
    public Merge merge(List<RawTraceEntry> newestFirst) {
        List<RawTraceEntry> current = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) current.add(newestFirst.get(i));
        int overlap = overlap(previous, current);
        boolean gap = overlap < 0;
        List<RawTraceEntry> added = gap ? current : current.subList(overlap, current.size());
        if (gap) gaps++;
        previous = current;
        return new Merge(List.copyOf(added), gap);
    }

    /** Reads whose marker run was missing so far. */
    public long gaps() {
        return gaps;
    }

    /**
     * How many leading entries of {@code current} are the tail of {@code previous}, or -1 when the
     * marker run is not found. With nothing overwritten the whole previous read is the head of the
     * current one; after a wrap only a suffix of it is. The largest consistent overlap wins, which
     * is exact unless whole identical runs (the same open/close with the same stack, repeated)
     * straddle the wrap point.
     */
    int overlap(List<RawTraceEntry> prev, List<RawTraceEntry> current) {
        if (prev.isEmpty()) return 0;
        int k = Math.min(markerLength, prev.size());
        List<RawTraceEntry> marker = prev.subList(prev.size() - k, prev.size());
        // the marker ends the overlap, so it sits at current[L-k, L) for an overlap of L <= |prev|
        for (int end = Math.min(prev.size(), current.size()); end >= k; end--) {
            if (!regionEquals(current, end - k, marker, 0, k)) continue;
            if (regionEquals(current, 0, prev, prev.size() - end, end - k)) return end;
        }
        return -1;
    }

    private static boolean regionEquals(List<RawTraceEntry> a, int aFrom, List<RawTraceEntry> b, int bFrom, int length) {
        for (int i = 0; i < length; i++) {
            if (!a.get(aFrom + i).equals(b.get(bFrom + i))) return false;
        }
        return true;
    }
}
