package dev.jhtrace.dbgeng;

import dev.jhtrace.dbgeng.nt.NtHandleTracing;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.util.Properties;

/**
 * Settings of the Windows engine that {@link dev.jhtrace.spi.TraceOptions} does not carry.
 *
 * @param acceptInvalidHandleExceptions the user accepts that enabling handle tracing makes the target raise
 *                                      STATUS_INVALID_HANDLE on invalid handle use (CLI: {@code --accept-invalid-handle-exceptions});
 *                                      without it, enabling on an attached process fails (a launched process is always allowed)
 * @param onClose                       what detaching does to the trace (default: leave it on, like a detaching debugger)
 * @param pollIntervalMillis            how often the trace ring is read in the background once on (0: only when asked)
 * @param queryObjectNames              whether handle listings look up object names (in a helper process)
 * @param queryPipeLikeNames            also ask names of File handles whose access mask is that of synchronous pipes,
 *                                      which can make the query hang until the timeout
 * @param nameTimeoutMillis             how long one name query may take before the helper is killed
 */
public record WindowsEngineOptions(boolean acceptInvalidHandleExceptions, NtHandleTracing.OnClose onClose, long pollIntervalMillis,
                                   boolean queryObjectNames, boolean queryPipeLikeNames, long nameTimeoutMillis) {

    /** Safe defaults: no consent, leave tracing on at detach, read every 250 ms, names on (1 s timeout), pipes skipped. */
    public static final WindowsEngineOptions DEFAULT = new WindowsEngineOptions(false, NtHandleTracing.OnClose.LEAVE_ON, 250, true, false, 1000);

    /** Prefix of the system properties read by {@link #fromProperties}. */
    public static final String PROPERTY_PREFIX = "jhtrace.dbgeng.";

    public WindowsEngineOptions {
        if (onClose == null) onClose = NtHandleTracing.OnClose.LEAVE_ON;
        if (pollIntervalMillis < 0) throw new JhtraceException(Failure.BAD_INPUT, "poll interval must not be negative");
        if (nameTimeoutMillis < 1) throw new JhtraceException(Failure.BAD_INPUT, "name timeout must be at least 1 ms");
    }

    /** These options with the invalid-handle-exception consent set. */
    public WindowsEngineOptions withAcceptInvalidHandleExceptions(boolean accept) {
        return new WindowsEngineOptions(accept, onClose, pollIntervalMillis, queryObjectNames, queryPipeLikeNames, nameTimeoutMillis);
    }

    /** These options with another close behaviour. */
    public WindowsEngineOptions withOnClose(NtHandleTracing.OnClose close) {
        return new WindowsEngineOptions(acceptInvalidHandleExceptions, close, pollIntervalMillis, queryObjectNames, queryPipeLikeNames, nameTimeoutMillis);
    }

    /**
     * Options from properties (the engine found by ServiceLoader reads the system properties), each
     * defaulting to {@link #DEFAULT}: {@code jhtrace.dbgeng.acceptInvalidHandleExceptions},
     * {@code .disableTracingOnClose}, {@code .pollIntervalMillis}, {@code .queryObjectNames},
     * {@code .queryPipeLikeNames}, {@code .nameTimeoutMillis}.
     */
    public static WindowsEngineOptions fromProperties(Properties p) {
        return new WindowsEngineOptions(
                bool(p, "acceptInvalidHandleExceptions", DEFAULT.acceptInvalidHandleExceptions),
                bool(p, "disableTracingOnClose", false) ? NtHandleTracing.OnClose.DISABLE_IF_OURS : NtHandleTracing.OnClose.LEAVE_ON,
                number(p, "pollIntervalMillis", DEFAULT.pollIntervalMillis),
                bool(p, "queryObjectNames", DEFAULT.queryObjectNames),
                bool(p, "queryPipeLikeNames", DEFAULT.queryPipeLikeNames),
                number(p, "nameTimeoutMillis", DEFAULT.nameTimeoutMillis));
    }

    private static boolean bool(Properties p, String key, boolean fallback) {
        String v = p.getProperty(PROPERTY_PREFIX + key);
        if (v == null) return fallback;
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new JhtraceException(Failure.BAD_INPUT, PROPERTY_PREFIX + key + " must be true or false, not '" + v + "'");
    }

    private static long number(Properties p, String key, long fallback) {
        String v = p.getProperty(PROPERTY_PREFIX + key);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new JhtraceException(Failure.BAD_INPUT, PROPERTY_PREFIX + key + " must be a number, not '" + v + "'");
        }
    }
}
