package dev.jhtrace.windbg;

import dev.jhtrace.model.StackFrame;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one {@code !htrace} frame line: {@code 0xADDR: module!function+0xOFF}, {@code 0xADDR: module+0xOFF}
 * or {@code 0xADDR: +0xADDR} (unresolved). Function names may hold anything ({@code ::}, spaces, backticks,
 * {@code <...>}, {@code +}); the offset is the LAST {@code +0x}.
 */
final class FrameParser {
    static final Pattern FRAME = Pattern.compile("^0x([0-9a-fA-F`]+):\\s?(.*)$");

    private FrameParser() {
    }

    /** The frame, or null when {@code text} is not a frame line. */
    static StackFrame parse(String text) {
        Matcher m = FRAME.matcher(text);
        if (!m.matches()) return null;
        Long address = Hex.parse(m.group(1));
        if (address == null) return null;
        String symbol = m.group(2).strip();
        Long offset = null;
        int plus = symbol.lastIndexOf("+0x");
        if (plus >= 0) {
            Long o = Hex.parse(symbol.substring(plus + 3));
            if (o != null) {
                offset = o;
                symbol = symbol.substring(0, plus);
            }
        }
        if (symbol.isEmpty()) {
            // "+0xADDR" alone: nothing resolved, the offset is the address again.
            return offset == null || offset == (long) address ? StackFrame.unresolved(address)
                    : new StackFrame(address, null, null, offset, null, null);
        }
        int bang = symbol.indexOf('!');
        if (bang < 0) return new StackFrame(address, symbol, null, offset, null, null);
        String module = symbol.substring(0, bang);
        String function = symbol.substring(bang + 1);
        return new StackFrame(address, module.isEmpty() ? null : module, function.isEmpty() ? null : function, offset, null, null);
    }
}
