package dev.jhtrace.dbgeng.api;

import dev.jhtrace.dbgeng.engine.LocatorEnvironment;
import dev.jhtrace.dbgeng.jna.callbacks.OutputLineBuffer;

/**
 * Settings of a {@link DbgEngClient}.
 *
 * @param callTimeoutMillis   longest a caller waits for one engine-thread call before a one-line error
 * @param idleMillis          DispatchCallbacks period when the engine thread has no work
 * @param waitTimeoutMillis   WaitForEvent limit when finishing an attach or a dump open
 * @param symbolPath          symbol path to set at start, or null to keep dbgeng's (from _NT_SYMBOL_PATH)
 * @param outputListener      receives every engine output line (also those captured by execute), or null
 * @param locatorEnvironment  where to look for Debugging Tools for Windows
 */
public record DbgEngClientOptions(long callTimeoutMillis, int idleMillis, int waitTimeoutMillis, String symbolPath,
                                  OutputLineBuffer.LineListener outputListener, LocatorEnvironment locatorEnvironment) {

    public DbgEngClientOptions {
        if (callTimeoutMillis <= 0 || idleMillis <= 0 || waitTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** 5 minutes per call (symbol downloads are slow), 100 ms idle pump, 60 s attach/open wait. */
    public static DbgEngClientOptions defaults() {
        return new DbgEngClientOptions(300_000, 100, 60_000, null, null, LocatorEnvironment.system());
    }

    public DbgEngClientOptions withSymbolPath(String path) {
        return new DbgEngClientOptions(callTimeoutMillis, idleMillis, waitTimeoutMillis, path, outputListener, locatorEnvironment);
    }

    public DbgEngClientOptions withOutputListener(OutputLineBuffer.LineListener listener) {
        return new DbgEngClientOptions(callTimeoutMillis, idleMillis, waitTimeoutMillis, symbolPath, listener, locatorEnvironment);
    }

    public DbgEngClientOptions withCallTimeoutMillis(long millis) {
        return new DbgEngClientOptions(millis, idleMillis, waitTimeoutMillis, symbolPath, outputListener, locatorEnvironment);
    }

    public DbgEngClientOptions withLocatorEnvironment(LocatorEnvironment env) {
        return new DbgEngClientOptions(callTimeoutMillis, idleMillis, waitTimeoutMillis, symbolPath, outputListener, env);
    }
}
