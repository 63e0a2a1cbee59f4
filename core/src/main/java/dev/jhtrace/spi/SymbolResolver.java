package dev.jhtrace.spi;

import dev.jhtrace.model.StackFrame;

/** Turns addresses into module, function, offset and source line. Engines supply one per target. */
@FunctionalInterface
public interface SymbolResolver {
    /**
     * The system property naming where to look for symbols, read by engines when they attach: folders with
     * separate debug information for gdb (colon-separated), a symbol path for dbgeng ({@code srv*...}).
     */
    String SYMBOL_PATH_PROPERTY = "jhtrace.symbolPath";

    /** Resolves nothing: frames stay as they are. */
    SymbolResolver NONE = frame -> frame;

    /** The frame with whatever is known about its address; the frame itself when nothing is. */
    StackFrame resolve(StackFrame frame);
}
