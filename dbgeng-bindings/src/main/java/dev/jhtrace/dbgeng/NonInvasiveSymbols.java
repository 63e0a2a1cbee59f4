package dev.jhtrace.dbgeng;

import dev.jhtrace.dbgeng.api.DbgEngHost;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;

import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Symbols for one process from dbgeng attached non-invasively and without suspending it, so symbol
 * look-ups never pause the target. Every target of the JVM shares the one dbgeng engine
 * ({@link DbgEngHost#shared()}); closing the resolver detaches that target only (the process runs on).
 */
final class NonInvasiveSymbols {
    private NonInvasiveSymbols() {
    }

    /**
     * A resolver for {@code pid} (an {@link AutoCloseable} one when dbgeng attached); otherwise frames stay
     * as addresses, and the reason is told once through {@code warn}.
     */
    static SymbolResolver forPid(int pid, IntFunction<DbgEngHost.Attachment> attach, Consumer<String> warn) {
        try {
            return attach.apply(pid);
        } catch (JhtraceException e) {
            warn.accept("no symbols for process " + pid + ": " + e.getMessage());
            return SymbolResolver.NONE;
        }
    }

    /**
     * Attaches {@code pid} to this JVM's one dbgeng engine, with {@code symbolPath} (the trace options', e.g. the REPL's
     * "symbols path" {@code srv*C:\symbols*<symbol server URL>}) when it names any.
     */
    static DbgEngHost.Attachment attach(int pid, java.util.List<String> symbolPath) {
        return DbgEngHost.shared().attach(pid, symbolPath.isEmpty() ? null : String.join(";", symbolPath));
    }
}
