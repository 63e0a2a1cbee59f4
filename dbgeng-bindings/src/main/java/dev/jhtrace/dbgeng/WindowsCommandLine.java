package dev.jhtrace.dbgeng;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.util.List;

/** Joins arguments into one Windows command line that CommandLineToArgvW / the MSVC runtime split back the same way. */
public final class WindowsCommandLine {
    private WindowsCommandLine() {
    }

    /** The command line for {@code args}; an empty list is BAD_INPUT. */
    public static String join(List<String> args) {
        if (args == null || args.isEmpty()) throw new JhtraceException(Failure.BAD_INPUT, "no command to launch");
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (a.indexOf('\0') >= 0) throw new JhtraceException(Failure.BAD_INPUT, "a command argument contains a NUL character");
            if (sb.length() > 0) sb.append(' ');
            sb.append(quote(a));
        }
        return sb.toString();
    }

    /** One argument, quoted when it is empty or has blanks or quotes; backslashes doubled only before a quote. */
    public static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '"')) return arg;
        StringBuilder sb = new StringBuilder("\"");
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (c == '"') {
                sb.append("\\".repeat(backslashes * 2 + 1)).append('"');
            } else {
                sb.append("\\".repeat(backslashes)).append(c);
            }
            backslashes = 0;
        }
        sb.append("\\".repeat(backslashes * 2)).append('"');
        return sb.toString();
    }
}
