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
 */
public record DiskBudget(long maxBytes) {
    /** The smallest budget accepted: a few records. */
    public static final long MIN_BYTES = 16 * 1024;

    public DiskBudget {
        if (maxBytes < MIN_BYTES) throw new IllegalArgumentException("the disk budget must be at least " + MIN_BYTES + " bytes");
    }

    /** The size at which a capture file is closed and the next part opened: an eighth of the budget. */
    public long partBytes() {
        return Math.max(4096, maxBytes / 8);
    }

    /**
     * Deletes the oldest capture files until the directory fits the budget.
     *
     * @param dir     the capture directory
     * @param current the file being written, never deleted
     * @return how many files were deleted
     */
    public int enforce(Path dir, Path current) throws IOException {
        long total = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) if (Files.isRegularFile(p)) total += Files.size(p);
        }
        if (total <= maxBytes) return 0;
        // names sort by capture id (a UTC timestamp), segment and part, so name order is age order
        List<Path> candidates = new ArrayList<>(CaptureFiles.list(dir));
        candidates.removeIf(p -> p.equals(current));
        candidates.sort(Comparator.comparing(Path::toString));
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
}
