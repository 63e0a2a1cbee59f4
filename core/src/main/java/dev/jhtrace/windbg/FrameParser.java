package dev.jhtrace.windbg;

import dev.jhtrace.model.StackFrame;


/**
 * Reads one {@code !htrace} frame line: {@code 0xADDR: module!function+0xOFF}, {@code 0xADDR: module+0xOFF}
 * or {@code 0xADDR: +0xADDR} (unresolved). Function names may hold anything ({@code ::}, spaces, backticks,
 * {@code <...>}, {@code +}); the offset is the LAST {@code +0x}.
 */
final class FrameParser {
    private FrameParser() {
    }

    /** The frame, or null when {@code text} is not a frame line. */
    static StackFrame parse(String text) {
        // Hand-written rather than FRAME.matcher(): this runs once per frame line of logs with millions of them.
        if (!text.startsWith("0x")) return null;
        int colon = text.indexOf(':');
        if (colon < 3) return null;
        Long address = Hex.parse(text.substring(2, colon));
        if (address == null) return null;
        String symbol = text.substring(colon + 1).strip();
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
