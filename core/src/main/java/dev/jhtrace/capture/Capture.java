package dev.jhtrace.capture;

import java.time.Instant;
import java.util.List;

/**
 * A capture read back from its directory: its segments (one per process followed), each with its
 * records in order, and what could not be read.
 *
 * @param captureId    the capture
 * @param name         the process name, or null when unknown
 * @param engine       the engine that captured it
 * @param tracing      true when stacks were traced
 * @param started      when the capture started
 * @param intervalMillis time between records
 * @param segments     the segments, oldest first
 * @param files        the files read
 * @param rotatedFiles files rotated away before the newest file was opened (their records are gone)
 * @param skippedLines lines that could not be read (a record cut short by a crash, usually the last line)
 * @param problems     one line per thing that could not be read, for the report
 */
public record Capture(String captureId, String name, String engine, boolean tracing, Instant started, long intervalMillis,
                      List<Segment> segments, int files, int rotatedFiles, int skippedLines, List<String> problems) {
    public Capture {
        segments = List.copyOf(segments);
        problems = List.copyOf(problems);
    }

    /** Every record of every segment, in order. */
    public List<CaptureRecord> records() {
        return segments.stream().flatMap(s -> s.records().stream()).toList();
    }

    /**
     * One process captured: under {@code --name} each restart starts a new segment.
     *
     * @param segment the segment number
     * @param pid     the process
     * @param records its records, oldest first
     * @param command the process's command line, or null when unknown
     */
    public record Segment(int segment, int pid, List<CaptureRecord> records, String command) {
        public Segment {
            records = List.copyOf(records);
        }

        /** A segment whose command line is unknown. */
        public Segment(int segment, int pid, List<CaptureRecord> records) {
            this(segment, pid, records, null);
        }
    }
}
