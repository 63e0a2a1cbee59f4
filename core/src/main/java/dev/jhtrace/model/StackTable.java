package dev.jhtrace.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns frames and stacks so that a trace of a million events holding a few hundred distinct
 * stacks keeps each stack, and each frame, once. Not thread-safe: one table per capture.
 */
public final class StackTable {
    private final Map<StackFrame, StackFrame> frames = new HashMap<>();
    private final Map<StackTrace, StackTrace> stacks = new HashMap<>();

    /** The shared instance equal to {@code frame}. */
    public StackFrame intern(StackFrame frame) {
        StackFrame known = frames.putIfAbsent(frame, frame);
        return known == null ? frame : known;
    }

    /** The shared instance equal to {@code stack}, its frames interned too. */
    public StackTrace intern(StackTrace stack) {
        StackTrace known = stacks.get(stack);
        if (known != null) return known;
        List<StackFrame> shared = new ArrayList<>(stack.depth());
        for (StackFrame f : stack.frames()) shared.add(intern(f));
        StackTrace interned = new StackTrace(shared);
        stacks.put(interned, interned);
        return interned;
    }

    /** Interns a stack given by raw return addresses, innermost first. */
    public StackTrace intern(long... addresses) {
        List<StackFrame> list = new ArrayList<>(addresses.length);
        for (long a : addresses) list.add(StackFrame.unresolved(a));
        return intern(new StackTrace(list));
    }

    public int distinctStacks() {
        return stacks.size();
    }

    public int distinctFrames() {
        return frames.size();
    }
}
