package dev.jhtrace.windbg;

/** Which {@code !htrace} form produced an output. */
public enum HtraceCommand {
    /** {@code !htrace -enable [max_traces]}: status lines only. */
    ENABLE,
    /** {@code !htrace -disable}: status lines only. */
    DISABLE,
    /** {@code !htrace -snapshot}: status lines only. */
    SNAPSHOT,
    /** {@code !htrace -diff}: the OPEN entries of handles still open that were opened since the snapshot. */
    DIFF,
    /** {@code !htrace}, {@code !htrace <handle>} or the kernel {@code !htrace <handle> <process>}: OPEN, CLOSE and BADREF entries. */
    LISTING,
    /** The usage text the extension prints for an argument it does not know. */
    USAGE
}
