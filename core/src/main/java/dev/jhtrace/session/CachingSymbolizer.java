package dev.jhtrace.session;

import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.spi.SymbolResolver;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves stacks through an engine's {@link SymbolResolver}, asking it once per distinct address
 * and once per distinct stack, so symbolizing a million events with a few hundred stacks costs a few
 * hundred engine look-ups. Not thread-safe.
 */
public final class CachingSymbolizer {
    private final SymbolResolver resolver;
    private final StackTable table;
    private final Map<Long, StackFrame> byAddress = new HashMap<>();
    private final Map<StackTrace, StackTrace> byStack = new IdentityHashMap<>();

    public CachingSymbolizer(SymbolResolver resolver, StackTable table) {
        this.resolver = resolver;
        this.table = table;
    }

    /** The stack with every frame resolved, interned. */
    public StackTrace resolve(StackTrace stack) {
        StackTrace known = byStack.get(stack);
        if (known != null) return known;
        List<StackFrame> frames = stack.frames().stream().map(this::resolve).toList();
        StackTrace resolved = table.intern(new StackTrace(frames));
        byStack.put(stack, resolved);
        return resolved;
    }

    /** One frame resolved; frames that already carry a module or function are kept as they are. */
    public StackFrame resolve(StackFrame frame) {
        if (!frame.isUnresolved()) return frame;
        return byAddress.computeIfAbsent(frame.address(), a -> table.intern(resolver.resolve(frame)));
    }

    /** How many distinct addresses were looked up. */
    public int lookups() {
        return byAddress.size();
    }
}
