package dev.jhtrace.capture;

import java.time.Instant;
import java.util.List;

/**
 * A capture read back from its directory: its segments (one per process followed), each with its
 * records in order, and what could not be read.
 *
 * @param captureId    the capture
 * @param name         the process name, or null when unknown; {@link #ALL_PROCESSES} for a capture of every process
 * @param engine       the engine that captured it
 * @param tracing      true when stacks were traced
 * @param started      when the capture started
 * @param intervalMillis time between records
 * @param segments     the segments, oldest first
 * @param files        the files read
 * @param rotatedFiles files rotated away before the newest file was opened (their records are gone)
 * @param skippedLines lines that could not be read (a record cut short by a crash, usually the last line)
 * @param problems     one line per thing that could not be read, for the report
 * @param allProcesses true when its segments are processes recorded side by side, each judged on its own: a capture of
 *                     every process ({@code capture --all}), or of one target and the children it forked
 */
public record Capture(String captureId, String name, String engine, boolean tracing, Instant started, long intervalMillis,
                      List<Segment> segments, int files, int rotatedFiles, int skippedLines, List<String> problems, boolean allProcesses) {
    /** The name of a capture of every process. */
    public static final String ALL_PROCESSES = "all processes";

    public Capture {
        segments = List.copyOf(segments);
        problems = List.copyOf(problems);
    }

    /** One segment of this capture as a capture of its own, named after its process: the details of one process of {@code --all}. */
    public Capture segmentAlone(int segment) {
        List<Segment> one = segments.stream().filter(s -> s.segment() == segment).toList();
        String process = one.isEmpty() || one.get(0).name() == null ? name : one.get(0).name();
        return new Capture(captureId, process, engine, tracing, started, intervalMillis, one, files, rotatedFiles, skippedLines, problems, false);
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
     * @param name    the process's name, or null when unknown
     */
    public record Segment(int segment, int pid, List<CaptureRecord> records, String command, String name) {
        public Segment {
            records = List.copyOf(records);
        }

        /** A segment whose name is the capture's. */
        public Segment(int segment, int pid, List<CaptureRecord> records, String command) {
            this(segment, pid, records, command, null);
        }

        /** A segment whose command line is unknown. */
        public Segment(int segment, int pid, List<CaptureRecord> records) {
            this(segment, pid, records, null, null);
        }
    }
}
