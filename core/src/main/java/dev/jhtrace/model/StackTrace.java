package dev.jhtrace.model;

import java.util.List;

/**
 * A call stack, innermost frame first. Stack traces are interned by {@link StackTable}, so
 * equal stacks are usually one shared object and events pay one reference for theirs.
 *
 * @param frames frames, innermost first
 */
public record StackTrace(List<StackFrame> frames) {

    /** The stack with no frames, for events whose stack is unknown. */
    public static final StackTrace EMPTY = new StackTrace(List.of());

    public StackTrace {
        frames = List.copyOf(frames);
    }

    public int depth() {
        return frames.size();
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }

    /** The frame at {@code index}, innermost being 0. */
    public StackFrame frame(int index) {
        return frames.get(index);
    }
}
