package dev.jhtrace.perf;

/**
 * Which of the frames perf's unwinder cannot give are found in the stack copies instead. Both are on in use; tests switch
 * one off for the control that shows what it adds.
 *
 * @param go              a Go program's callers, by its frame-pointer chain ({@link GoFrames})
 * @param interpretedJava an interpreted Java frame's method, read from the JVM ({@link HotSpotMethods}), where perf's
 *                        map says only {@code Interpreter}
 */
record FrameWalks(boolean go, boolean interpretedJava) {
    /** Every walk on. */
    static final FrameWalks ALL = new FrameWalks(true, true);

    FrameWalks withoutGo() {
        return new FrameWalks(false, interpretedJava);
    }

    FrameWalks withoutInterpretedJava() {
        return new FrameWalks(go, false);
    }
}
