package dev.jhtrace.capture;

import java.util.List;

/**
 * The leak verdict on a capture.
 *
 * @param leak    true when a steady leak was found in some segment
 * @param summary one line for people
 * @param segment the segment the growth figures are from (the first leaking one, else the newest judged), or 0 when none could be judged
 * @param total   growth of all handles in that segment, or null when none could be judged
 * @param types   growth per type, leaking first, then fastest first
 * @param stacks  growth per stack, leaking first, then fastest first
 * @param processes for a capture of every process, each process judged alone, leaking first, then fastest first
 *                  (the verdict's own figures are the first's); empty otherwise
 */
public record Verdict(boolean leak, String summary, int segment, Growth total, List<Growth> types, List<StackGrowth> stacks,
                      List<ProcessVerdict> processes) {
    public Verdict {
        types = List.copyOf(types);
        stacks = List.copyOf(stacks);
        processes = List.copyOf(processes);
    }

    /** The verdict on one process (or name). */
    public Verdict(boolean leak, String summary, int segment, Growth total, List<Growth> types, List<StackGrowth> stacks) {
        this(leak, summary, segment, total, types, stacks, List.of());
    }

    /** The exit code {@code capture} and {@code report} end with: 3 for a leak, else 0. */
    public int exitCode() {
        return leak ? dev.jhtrace.spi.Failure.LEAK_FOUND.exitCode() : 0;
    }

    /**
     * A stack's growth, with the stack as last recorded.
     *
     * @param growth its growth
     * @param group  the newest record's group for it
     */
    public record StackGrowth(Growth growth, StackGroup group) {
    }
}
