package dev.jhtrace.session;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.spi.SymbolResolver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one symbol cache: resolves stacks through an engine's {@link SymbolResolver}, asking it with
 * {@link SymbolResolver#resolveAll one call} per batch of stacks for every address not asked before, so
 * symbolizing a million events with a few hundred stacks costs one engine round trip. Frames the engine
 * cannot resolve get {@code module+offset} from the {@link RecordedModules module maps} recorded while the target
 * ran. Not thread-safe.
 */
public final class CachingSymbolizer {
    private final SymbolResolver resolver;
    private final StackTable table;
    private final RecordedModules modules;
    private final Map<Long, StackFrame> byAddress = new HashMap<>();
    private final Map<StackTrace, StackTrace> byStack = new IdentityHashMap<>();

    public CachingSymbolizer(SymbolResolver resolver, StackTable table) {
        this(resolver, table, new RecordedModules());
    }

    /** A symbolizer falling back on {@code modules} for what the engine cannot resolve. */
    public CachingSymbolizer(SymbolResolver resolver, StackTable table, RecordedModules modules) {
        this.resolver = resolver;
        this.table = table;
        this.modules = modules;
    }

    /** The diff with every outstanding handle's stack resolved, looked up in one batch. */
    public Diff symbolize(Diff diff) {
        return symbolize(diff, diff.since());
    }

    /** As {@link #symbolize(Diff)}, the result reported against {@code since}. */
    public Diff symbolize(Diff diff, Snapshot since) {
        List<StackTrace> stacks = new ArrayList<>(diff.size());
        for (OutstandingHandle h : diff.outstanding()) if (h.open() != null && !h.open().stack().isEmpty()) stacks.add(h.open().stack());
        resolveAll(stacks);
        List<OutstandingHandle> resolved = new ArrayList<>(diff.size());
        for (OutstandingHandle h : diff.outstanding()) {
            TraceEvent open = h.open();
            if (open != null && !open.stack().isEmpty()) {
                open = open.withStack(resolve(open.stack()));
            }
            resolved.add(new OutstandingHandle(h.handle(), h.entry(), open, h.stackLost(), h.orderingUnknown()));
        }
        return new Diff(diff.target(), since, diff.time(), resolved, diff.newEvents(), diff.lostEvents());
    }

    /**
     * Looks up, in one {@link SymbolResolver#resolveAll} call, every address of these stacks not looked up
     * before; {@link #resolve(StackTrace)} then answers them from the cache.
     */
    public void resolveAll(Collection<StackTrace> stacks) {
        Set<Long> todo = new LinkedHashSet<>();
        for (StackTrace s : stacks) {
            if (byStack.containsKey(s)) continue;
            for (StackFrame f : s.frames()) if (f.isUnresolved() && !byAddress.containsKey(f.address())) todo.add(f.address());
        }
        if (todo.isEmpty()) return;
        Map<Long, StackFrame> found = resolver.resolveAll(todo);
        for (Long a : todo) {
            StackFrame f = found.get(a);
            if (f == null || f.address() != a) f = StackFrame.unresolved(a);
            byAddress.put(a, table.intern(modules.resolve(f)));
        }
    }

    /** The stack with every frame resolved, interned (a stack not batched before is looked up on its own). */
    public StackTrace resolve(StackTrace stack) {
        StackTrace known = byStack.get(stack);
        if (known != null) return known;
        resolveAll(List.of(stack));
        List<StackFrame> frames = new ArrayList<>(stack.depth());
        for (StackFrame f : stack.frames()) frames.add(f.isUnresolved() ? byAddress.get(f.address()) : f);
        StackTrace resolved = table.intern(new StackTrace(frames));
        byStack.put(stack, resolved);
        return resolved;
    }

    /** How many distinct addresses were looked up. */
    public int lookups() {
        return byAddress.size();
    }
}
