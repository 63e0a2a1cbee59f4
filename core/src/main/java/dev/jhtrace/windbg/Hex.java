package dev.jhtrace.windbg;

/** Hex numbers as WinDbg prints them: with or without {@code 0x}, any case, 64-bit values with a backtick. */
final class Hex {
    private Hex() {
    }

    /** The value, or null when {@code text} is not a hex number that fits 64 bits. */
    static Long parse(String text) {
        if (text == null) return null;
        String s = text.strip();
        if (s.startsWith("0x") || s.startsWith("0X")) s = s.substring(2);
        if (s.indexOf('`') >= 0) s = s.replace("`", "");
        if (s.isEmpty() || s.length() > 16) return null;
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) return null;
        }
        return Long.parseUnsignedLong(s, 16);
    }

    /** {@code value} in lower-case hex, zero-padded to {@code digits}. */
    static String padded(long value, int digits) {
        String h = Long.toHexString(value);
        return h.length() >= digits ? h : "0".repeat(digits - h.length()) + h;
    }
}
