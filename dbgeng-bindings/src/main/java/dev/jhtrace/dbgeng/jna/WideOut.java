package dev.jhtrace.dbgeng.jna;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;

/**
 * The dbgeng output-string pattern: pass a buffer and its size in characters, get the needed size back;
 * when the buffer was too small (S_FALSE), call again with the needed size.
 */
public final class WideOut {
    /** Characters tried first; most names and paths fit. */
    static final int FIRST_TRY_CHARS = 1024;
    /** Upper bound on what we will allocate for one string (symbol paths can be long, but not this long). */
    static final int MAX_CHARS = 1 << 20;

    @FunctionalInterface
    public interface Call {
        int invoke(Memory buffer, int bufferChars, IntByReference neededChars);
    }

    private WideOut() {
    }

    public static String read(String method, Call call) {
        int chars = FIRST_TRY_CHARS;
        for (int attempt = 0; attempt < 3; attempt++) {
            Memory buffer = new Memory(2L * chars);
            buffer.clear();
            IntByReference needed = new IntByReference();
            int hr = DbgEngException.check(method, call.invoke(buffer, chars, needed));
            int size = needed.getValue();
            if (hr == HResult.S_OK || size <= chars) return WideStrings.read(buffer, chars);
            if (size > MAX_CHARS) throw new DbgEngException(method, HResult.E_OUTOFMEMORY, "string of " + size + " characters refused");
            chars = size;
        }
        throw new DbgEngException(method, HResult.E_UNEXPECTED, "string kept growing between calls");
    }
}
