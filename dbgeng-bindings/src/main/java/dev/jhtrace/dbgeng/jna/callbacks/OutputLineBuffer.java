package dev.jhtrace.dbgeng.jna.callbacks;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles dbgeng's output fragments into whole lines, separately per output mask (an error line
 * interleaved with normal output must not be glued to it). {@link #flush()} emits unfinished lines.
 */
public final class OutputLineBuffer implements OutputCallbacksWide.OutputSink {

    /** Receives complete lines without their line terminator. */
    @FunctionalInterface
    public interface LineListener {
        void line(int mask, String line);
    }

    private final LineListener listener;
    private final Map<Integer, StringBuilder> pending = new TreeMap<>();

    public OutputLineBuffer(LineListener listener) {
        this.listener = listener;
    }

    @Override
    public void output(int mask, String text) {
        StringBuilder sb = pending.computeIfAbsent(mask, m -> new StringBuilder());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                int end = sb.length();
                if (end > 0 && sb.charAt(end - 1) == '\r') sb.setLength(end - 1);
                listener.line(mask, sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
    }

    /** Emits every unfinished line (e.g. a prompt without newline) and clears the buffer. */
    public void flush() {
        for (Map.Entry<Integer, StringBuilder> e : pending.entrySet()) {
            if (e.getValue().length() > 0) listener.line(e.getKey(), e.getValue().toString());
        }
        pending.clear();
    }
}
