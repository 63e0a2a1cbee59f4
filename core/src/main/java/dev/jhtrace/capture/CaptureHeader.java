package dev.jhtrace.capture;

import java.time.Instant;

/**
 * The first line of every capture file: which capture, segment and process the records after it belong to.
 * Each file carries its own header so that any file left after rotation still loads on its own.
 *
 * @param format         the format name and version, {@link #FORMAT}
 * @param captureId      identifies one capture run (all segments and parts share it)
 * @param segment        1 for the first process captured, +1 for each restart followed under {@code --name}
 * @param part           1 for a segment's first file, +1 each time the file is rolled for rotation
 * @param pid            the process
 * @param name           the process name, or null when unknown
 * @param engine         the engine that read it ({@code gdb}, {@code windows} ...)
 * @param tracing        true when stacks are traced; false for counts-only captures
 * @param started        when the capture started
 * @param intervalMillis time between records
 * @param maxGroups      the cap on stack groups written per record
 * @param maxEntries     the cap on handle entries written per record
 * @param rotatedFiles   capture files deleted by rotation before this file was opened
 * @param command        the process's command line, or null when unknown (files written before it was recorded)
 * @param allProcesses   true for a segment recorded side by side with others, each process judged on its own: every
 *                       segment of {@code capture --all}, and those of the children a captured target forked
 */
public record CaptureHeader(String format, String captureId, int segment, int part, int pid, String name, String engine,
                            boolean tracing, Instant started, long intervalMillis, int maxGroups, int maxEntries,
                            int rotatedFiles, String command, boolean allProcesses) {
    /** The format written by this version. */
    public static final String FORMAT = "jhtrace-capture/1";

    /** A header of a capture of one process (or one name). */
    public CaptureHeader(String format, String captureId, int segment, int part, int pid, String name, String engine,
                         boolean tracing, Instant started, long intervalMillis, int maxGroups, int maxEntries, int rotatedFiles, String command) {
        this(format, captureId, segment, part, pid, name, engine, tracing, started, intervalMillis, maxGroups, maxEntries, rotatedFiles, command, false);
    }

    /** A header whose process's command line is unknown. */
    public CaptureHeader(String format, String captureId, int segment, int part, int pid, String name, String engine,
                         boolean tracing, Instant started, long intervalMillis, int maxGroups, int maxEntries, int rotatedFiles) {
        this(format, captureId, segment, part, pid, name, engine, tracing, started, intervalMillis, maxGroups, maxEntries, rotatedFiles, null);
    }

    /** This header for the next part of the same segment. */
    public CaptureHeader nextPart(int rotated) {
        return new CaptureHeader(format, captureId, segment, part + 1, pid, name, engine, tracing, started, intervalMillis,
                maxGroups, maxEntries, rotated, command, allProcesses);
    }
}
