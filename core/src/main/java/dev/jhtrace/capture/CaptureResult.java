package dev.jhtrace.capture;

/**
 * How a capture ended.
 *
 * @param verdict  the verdict on what was captured, or null when nothing was recorded
 * @param records  records written
 * @param segments segments (processes) captured
 * @param ended    why it ended, for people
 */
public record CaptureResult(Verdict verdict, long records, int segments, String ended) {
}
