package dev.jhtrace.gdb.trace;

import dev.jhtrace.gdb.mi.MiTuple;
import dev.jhtrace.gdb.mi.MiValue;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves addresses through gdb's symbol tables ({@code -jhtrace-symbolize}): module (shared object
 * base name), function, offset, source file and line. Every address is asked once and cached; the
 * tracing layer {@link #prefetch prefetches} new addresses in batches as events arrive, so stacks stay
 * resolvable after the target exits or execs. Thread-safe.
 */
public final class GdbSymbols implements SymbolResolver {
    private static final int BATCH = 400;
    private final GdbConnection gdb;
    private final Map<Long, StackFrame> cache = new ConcurrentHashMap<>();

    public GdbSymbols(GdbConnection gdb) {
        this.gdb = gdb;
    }

    @Override
    public StackFrame resolve(StackFrame frame) {
        StackFrame known = cache.get(frame.address());
        if (known != null) return known;
        prefetch(List.of(frame.address()));
        return cache.getOrDefault(frame.address(), frame);
    }

    /** Resolves every address not yet cached, in batched gdb calls. Addresses gdb cannot reach stay unresolved. */
    public void prefetch(Collection<Long> addresses) {
        List<Long> todo = new ArrayList<>();
        for (Long a : addresses) if (!cache.containsKey(a)) todo.add(a);
        for (int i = 0; i < todo.size() && gdb.mi().isAlive(); i += BATCH) {
            List<Long> chunk = todo.subList(i, Math.min(todo.size(), i + BATCH));
            StringBuilder cmd = new StringBuilder("-jhtrace-symbolize");
            for (long a : chunk) cmd.append(" 0x").append(Long.toHexString(a));
            MiTuple r;
            try {
                r = gdb.mi().call(cmd.toString(), GdbConnection.COMMAND_TIMEOUT_MILLIS * 4);
            } catch (JhtraceException e) {
                return; // gdb gone: leave the rest unresolved
            }
            for (MiValue v : r.list("frames")) {
                StackFrame f = toFrame(v.asTuple());
                if (f != null) cache.put(f.address(), f);
            }
        }
    }

    private static StackFrame toFrame(MiTuple t) {
        String addr = t.string("addr");
        if (addr == null || t.string("error") != null) return null;
        long address = Long.parseUnsignedLong(addr.substring(2), 16);
        String func = t.string("func");
        String off = t.string("offset");
        String line = t.string("line");
        // without a function, the offset is from the module's load address (module+0xOFFSET, from the maps)
        return new StackFrame(address, t.string("module"), func, off == null ? null : Long.valueOf(off),
                t.string("file"), line == null ? null : Integer.valueOf(line));
    }
}
