package dev.jhtrace.model;

/**
 * The process a capture is about.
 *
 * @param pid  process id (0 when unknown)
 * @param name process or image name (null when unknown)
 */
public record TargetInfo(int pid, String name) {
    public static final TargetInfo UNKNOWN = new TargetInfo(0, null);
}
