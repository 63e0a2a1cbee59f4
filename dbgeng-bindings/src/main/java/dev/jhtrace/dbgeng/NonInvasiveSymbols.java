package dev.jhtrace.dbgeng;

import dev.jhtrace.dbgeng.api.DbgEngSession;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;

import java.util.function.Function;

/**
 * Symbols for one process from a dbgeng session attached non-invasively and without suspending it, so
 * symbol look-ups never pause the target. Closing ends the session (dbgeng detaches; the target runs on).
 */
final class NonInvasiveSymbols implements SymbolResolver, AutoCloseable {
    private final DbgEngSession session;

    private NonInvasiveSymbols(DbgEngSession session) {
        this.session = session;
    }

    /**
     * A resolver for {@code pid}: dbgeng's when it starts and attaches; otherwise frames stay as
     * addresses, and the reason is told once through {@code warn}.
     */
    static SymbolResolver forPid(int pid, Function<Integer, DbgEngSession> attach, java.util.function.Consumer<String> warn) {
        try {
            return new NonInvasiveSymbols(attach.apply(pid));
        } catch (JhtraceException e) {
            warn.accept("no symbols for process " + pid + ": " + e.getMessage());
            return SymbolResolver.NONE;
        }
    }

    /** Starts a session and attaches non-invasively without suspending; the session is closed if the attach fails. */
    static DbgEngSession attach(int pid) {
        DbgEngSession session = DbgEngSession.start();
        try {
            // the REPL's "symbols path", e.g. srv*C:\symbols*<symbol server URL>
            String symbolPath = System.getProperty(SymbolResolver.SYMBOL_PATH_PROPERTY);
            if (symbolPath != null && !symbolPath.isBlank()) session.setSymbolPath(symbolPath);
            session.attach(pid);
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public StackFrame resolve(StackFrame frame) {
        return session.symbols().resolve(frame);
    }

    @Override
    public void close() {
        session.close();
    }
}
