package dev.jhtrace.spi;

import dev.jhtrace.model.StackFrame;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns addresses into module, function, offset and source line. Engines supply one per target. Core asks
 * through {@link #resolveAll}, once per diff, with every distinct address not resolved before (heaptrack's way:
 * the target is traced with raw addresses, symbols are looked up afterwards, in one batch).
 */
@FunctionalInterface
public interface SymbolResolver {
    /** Resolves nothing: frames stay as they are. */
    SymbolResolver NONE = frame -> frame;

    /** The frame with whatever is known about its address; the frame itself when nothing is. */
    StackFrame resolve(StackFrame frame);

    /**
     * What is known about each address, in one request to the engine where it can (gdb: one command for all of
     * them). Addresses nothing is known about may be missing from the answer or map to an unresolved frame.
     * The default asks {@link #resolve} address by address, which is right for resolvers that need no round trip
     * (a dump's module list).
     */
    default Map<Long, StackFrame> resolveAll(Collection<Long> addresses) {
        Map<Long, StackFrame> out = new LinkedHashMap<>();
        for (Long a : addresses) out.put(a, resolve(StackFrame.unresolved(a)));
        return out;
    }
}
