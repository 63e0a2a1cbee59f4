package dev.jhtrace.shell.repl;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.util.Locale;

/** Numbers as WinDbg reads them: default radix 16, {@code 0n} decimal, {@code 0x} hex, backtick separators ignored. */
final class WindbgNumber {
    private WindbgNumber() {
    }

    static long parse(String text) {
        String s = text.trim().replace("`", "").toLowerCase(Locale.ROOT);
        int radix = 16;
        if (s.startsWith("0n")) {
            radix = 10;
            s = s.substring(2);
        } else if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        try {
            if (s.isEmpty()) throw new NumberFormatException();
            return Long.parseUnsignedLong(s, radix);
        } catch (NumberFormatException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "'" + text + "' is not a number (WinDbg numbers are hex by default; 0n123 is decimal)");
        }
    }
}
