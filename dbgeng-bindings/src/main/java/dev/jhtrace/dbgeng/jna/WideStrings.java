package dev.jhtrace.dbgeng.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * UTF-16LE strings for the *Wide methods. Written by hand instead of JNA's WString because WString
 * follows the platform's wchar_t (4 bytes on Linux); dbgeng's WCHAR is always 2 bytes, and doing it
 * explicitly keeps the bindings testable off Windows.
 */
public final class WideStrings {
    private WideStrings() {
    }

    /** A NUL-terminated UTF-16LE copy of {@code s}, or null for null. */
    public static Memory toNative(String s) {
        if (s == null) return null;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_16LE);
        Memory m = new Memory(bytes.length + 2L);
        m.write(0, bytes, 0, bytes.length);
        m.setShort(bytes.length, (short) 0);
        return m;
    }

    /**
     * A Windows environment block: each {@code NAME=value} NUL-terminated, the block ending with one more
     * NUL; null for null (inherit the debugger's environment).
     */
    public static Memory environmentBlock(java.util.List<String> variables) {
        if (variables == null) return null;
        StringBuilder sb = new StringBuilder();
        for (String v : variables) {
            if (v.indexOf('\0') >= 0 || v.indexOf('=', 1) < 0) {
                throw new IllegalArgumentException("not a NAME=value environment entry: " + v);
            }
            sb.append(v).append('\0');
        }
        if (variables.isEmpty()) sb.append('\0'); // an empty block is still two NULs
        return toNative(sb.toString());
    }

    /** Reads a NUL-terminated UTF-16LE string, at most {@code maxChars} characters; null for a null pointer. */
    public static String read(Pointer p, int maxChars) {
        if (p == null) return null;
        int n = 0;
        while (n < maxChars && p.getShort(2L * n) != 0) n++;
        return new String(p.getByteArray(0, 2 * n), StandardCharsets.UTF_16LE);
    }

    /** Reads a NUL-terminated UTF-16LE string with no length limit but the terminator. */
    public static String read(Pointer p) {
        return read(p, Integer.MAX_VALUE);
    }
}
