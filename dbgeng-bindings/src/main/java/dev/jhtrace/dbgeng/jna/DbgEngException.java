package dev.jhtrace.dbgeng.jna;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

/**
 * A dbgeng method returned a failing HRESULT. The message names the interface method, the HRESULT in hex
 * and every name known for it, so a user can search for it; the failure class follows the code.
 */
public class DbgEngException extends JhtraceException {
    private static final long serialVersionUID = 1L;
    private final int hresult;
    private final String method;

    public DbgEngException(String method, int hresult) {
        this(method, hresult, "");
    }

    /** @param hint what to do about it, appended after the code; may be empty */
    public DbgEngException(String method, int hresult, String hint) {
        super(failureFor(hresult), method + " failed: HRESULT " + HResult.describe(hresult)
                + (hint == null || hint.isEmpty() ? "" : "; " + hint));
        this.hresult = hresult;
        this.method = method;
    }

    /** The raw HRESULT. */
    public int hresult() {
        return hresult;
    }

    /** {@code Interface.Method} that failed. */
    public String method() {
        return method;
    }

    public boolean isNoInterface() {
        return hresult == HResult.E_NOINTERFACE;
    }

    public boolean isAccessDenied() {
        return failureFor(hresult) == Failure.PERMISSION_DENIED;
    }

    /** Throws for failing HRESULTs; returns successful ones (S_OK, S_FALSE) so callers can tell them apart. */
    public static int check(String method, int hresult) {
        if (HResult.failed(hresult)) throw new DbgEngException(method, hresult);
        return hresult;
    }

    static Failure failureFor(int hr) {
        if (hr == HResult.E_ACCESSDENIED || hr == HResult.fromNt(0xC0000022)) return Failure.PERMISSION_DENIED;
        if (hr == HResult.E_NOINTERFACE) return Failure.ENGINE_UNAVAILABLE;
        if (hr == HResult.E_INVALIDARG) return Failure.BAD_INPUT;
        return Failure.OTHER;
    }
}
