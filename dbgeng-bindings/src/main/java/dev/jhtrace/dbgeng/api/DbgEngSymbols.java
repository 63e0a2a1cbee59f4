package dev.jhtrace.dbgeng.api;

import dev.jhtrace.dbgeng.jna.DbgEngConstants;
import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.ModuleLocation;
import dev.jhtrace.dbgeng.jna.SourceLine;
import dev.jhtrace.dbgeng.jna.SymbolName;
import dev.jhtrace.dbgeng.jna.symbols.DebugSymbols;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.SymbolResolver;

/**
 * Resolves addresses with dbgeng: GetNameByOffsetWide gives {@code module!function+offset},
 * GetLineByOffsetWide gives {@code file:line}; an address with no symbol falls back to
 * {@code module+offset} from GetModuleByOffset. What a frame already knows is never replaced by nothing.
 * Wrap it in core's {@code CachingSymbolizer}: each lookup is an engine-thread round trip.
 */
public final class DbgEngSymbols implements SymbolResolver {
    private final DbgEngClient dbgeng;

    DbgEngSymbols(DbgEngClient dbgeng) {
        this.dbgeng = dbgeng;
    }

    @Override
    public StackFrame resolve(StackFrame frame) {
        return dbgeng.onEngine(c -> resolve(c.symbols(), frame));
    }

    /** The lookup itself, on the thread owning {@code symbols}. */
    static StackFrame resolve(DebugSymbols symbols, StackFrame frame) {
        long address = frame.address();
        String module = frame.module();
        String function = frame.function();
        Long offset = frame.offset();
        try {
            SymbolName name = symbols.getNameByOffsetWide(address);
            StackFrame parsed = parse(address, name.name(), name.displacement());
            module = parsed.module();
            function = parsed.function();
            offset = parsed.offset();
        } catch (DbgEngException noSymbol) {
            try {
                ModuleLocation m = symbols.getModuleByOffset(address, 0);
                module = symbols.getModuleNameStringWide(DbgEngConstants.DEBUG_MODNAME_MODULE, m.index(), m.base());
                function = null;
                offset = address - m.base();
            } catch (DbgEngException noModule) {
                // neither symbol nor module: keep what the frame had
            }
        }
        String file = frame.file();
        Integer line = frame.line();
        try {
            SourceLine src = symbols.getLineByOffsetWide(address);
            file = src.file();
            line = src.line();
        } catch (DbgEngException noLine) {
            // no line information (public symbols only): keep what the frame had
        }
        return new StackFrame(address, module, function, offset, file, line);
    }

    /**
     * Splits dbgeng's name: {@code ntdll!NtCreateFile} with displacement 0x14 is module ntdll, function
     * NtCreateFile, offset 0x14; a bare {@code ntdll} is module-relative. A {@code +0x..} suffix inside the
     * name (some dbgeng versions add it) is folded into the offset.
     */
    static StackFrame parse(long address, String name, long displacement) {
        String n = name;
        long offset = displacement;
        int plus = n.lastIndexOf("+0x");
        if (plus > 0) {
            try {
                offset += Long.parseUnsignedLong(n.substring(plus + 3), 16);
                n = n.substring(0, plus);
            } catch (NumberFormatException e) {
                // not an offset suffix; keep the name as it is
            }
        }
        int bang = n.indexOf('!');
        if (bang < 0) return new StackFrame(address, n, null, offset, null, null);
        return new StackFrame(address, n.substring(0, bang), n.substring(bang + 1), offset, null, null);
    }
}
