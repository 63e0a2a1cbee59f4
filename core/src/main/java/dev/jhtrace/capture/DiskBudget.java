package dev.jhtrace.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps a capture directory under a size: deletes capture files oldest first (never the one being
 * written). Files are rolled at {@link #partBytes()} so that rotation frees space in small steps.
 *
 * @param maxBytes the most the directory may hold
 * @param writers  how many segments may be written at once (several under {@code capture --all}): the files being
 *                 written are never deleted, so each rolls at a share of the budget small enough for all to fit
 */
public record DiskBudget(long maxBytes, int writers) {
    /** The smallest budget accepted: a few records. */
    public static final long MIN_BYTES = 16 * 1024;

    public DiskBudget {
        if (maxBytes < MIN_BYTES) throw new IllegalArgumentException("the disk budget must be at least " + MIN_BYTES + " bytes");
        if (writers < 1) throw new IllegalArgumentException("at least one writer");
    }

    /** A budget for one segment written at a time. */
    public DiskBudget(long maxBytes) {
        this(maxBytes, 1);
    }

    /** The size at which a capture file is closed and the next part opened: an eighth of the budget, shared by the writers. */
    public long partBytes() {
        return Math.max(4096, maxBytes / 8 / writers);
    }

    /**
     * Deletes the oldest capture files until the directory fits the budget.
     *
     * @param dir     the capture directory
     * @param current the file being written, never deleted
     * @return how many files were deleted
     */
    public int enforce(Path dir, Path current) throws IOException {
        return enforce(dir, current == null ? java.util.Set.of() : java.util.Set.of(current));
    }

    /** As {@link #enforce(Path, Path)}, with several files being written, none of them deleted. */
    public int enforce(Path dir, java.util.Collection<Path> current) throws IOException {
        long total = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) if (Files.isRegularFile(p)) total += Files.size(p);
        }
        if (total <= maxBytes) return 0;
        // oldest data first: by last write, then by name (capture id, a UTC timestamp, segment and part). Name order
        // alone is age order for one segment at a time, not for the side-by-side segments of --all
        List<Path> candidates = new ArrayList<>(CaptureFiles.list(dir));
        candidates.removeIf(current::contains);
        java.util.Map<Path, Long> written = new java.util.HashMap<>();
        for (Path p : candidates) written.put(p, lastWrittenNanos(p));
        candidates.sort(Comparator.comparing((Path p) -> written.get(p)).thenComparing(Path::toString));
        int deleted = 0;
        for (Path p : candidates) {
            if (total <= maxBytes) break;
            long size = Files.size(p);
            Files.delete(p);
            total -= size;
            deleted++;
        }
        return deleted;
    }

    private static long lastWrittenNanos(Path p) {
        try {
            java.time.Instant t = Files.getLastModifiedTime(p).toInstant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (IOException gone) {
            return Long.MIN_VALUE;
        }
    }
}
