package dev.jhtrace.gdb.trace;

import dev.jhtrace.gdb.mi.MiTuple;
import dev.jhtrace.gdb.mi.MiValue;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.proc.JvmPerfMap;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves addresses through gdb's symbol tables ({@code -jhtrace-symbolize}): module (shared object
 * base name), function, offset, source file and line, for many addresses in one command. Keeps no cache: core's
 * {@code CachingSymbolizer} asks each address once, and the helper inside gdb keeps what it resolved of the
 * recorded addresses before an exec or exit unmapped them. Thread-safe.
 */
public final class GdbSymbols implements SymbolResolver {
    /** Addresses per command: one command for a diff's addresses, several only for very many. */
    private static final int BATCH = 2_000;
    /** The module of a frame in JIT code whose runtime wrote no perf map (the helper's name for it). */
    public static final String NO_PERF_MAP = dev.jhtrace.analysis.SystemModules.JIT_WITHOUT_PERF_MAP;
    private final GdbConnection gdb;

    public GdbSymbols(GdbConnection gdb) {
        this.gdb = gdb;
    }

    @Override
    public StackFrame resolve(StackFrame frame) {
        if (!frame.isUnresolved()) return frame;
        return resolveAll(List.of(frame.address())).getOrDefault(frame.address(), frame);
    }

    /**
     * Every address in one {@code -jhtrace-symbolize} command (per {@value #BATCH}). Addresses gdb cannot reach are left
     * out. JIT code of a live JVM without a perf map yet: the JVM is asked for one ({@link JvmPerfMap}) and those
     * addresses are resolved again; where it cannot be had, their module says so ({@value #NO_PERF_MAP}).
     */
    @Override
    public Map<Long, StackFrame> resolveAll(Collection<Long> addresses) {
        Map<Long, StackFrame> out = resolveOnce(addresses);
        List<Long> jit = out.values().stream().filter(f -> NO_PERF_MAP.equals(f.module())).map(StackFrame::address).toList();
        if (!jit.isEmpty() && !gdb.targetExited() && JvmPerfMap.request(gdb.pid())) out.putAll(resolveOnce(jit));
        return out;
    }

    private Map<Long, StackFrame> resolveOnce(Collection<Long> addresses) {
        Map<Long, StackFrame> out = new HashMap<>();
        List<Long> todo = new ArrayList<>(addresses);
        for (int i = 0; i < todo.size() && gdb.mi().isAlive(); i += BATCH) {
            List<Long> chunk = todo.subList(i, Math.min(todo.size(), i + BATCH));
            StringBuilder cmd = new StringBuilder("-jhtrace-symbolize");
            for (long a : chunk) cmd.append(" 0x").append(Long.toHexString(a));
            MiTuple r;
            try {
                r = gdb.mi().call(cmd.toString(), GdbConnection.COMMAND_TIMEOUT_MILLIS * (4 + chunk.size() / 400));
            } catch (JhtraceException e) {
                return out; // gdb gone: leave the rest unresolved
            }
            for (MiValue v : r.list("frames")) {
                StackFrame f = toFrame(v.asTuple());
                if (f != null) out.put(f.address(), f);
            }
        }
        return out;
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
