package dev.jhtrace.perf;

import dev.jhtrace.model.StackFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text {@code perf script --ns --no-inline -F pid,tid,time,event,trace,ip,sym,symoff,dso} prints, line by
 * line as it streams, into {@link PerfRecord}s. A sample is one header line ({@code PID/TID SECONDS.NANOS: GROUP:EVENT:
 * FIELDS}) followed, when it has a call graph, by one tab-indented line per frame and a blank line. Not thread-safe.
 */
final class PerfScriptParser {
    private static final Pattern HEADER = Pattern.compile("^\\s*(\\d+)/(\\d+)\\s+(\\d+)\\.(\\d{9}):\\s+(?:(\\w+):)?(\\w+):\\s?(.*)$");
    private static final Pattern LOST = Pattern.compile("PERF_RECORD_LOST lost (\\d+)");
    // "   f8011 __GI___libc_open+0x51 (/usr/lib/x86_64-linux-gnu/libc.so.6)"
    private static final Pattern FRAME = Pattern.compile("^\\s+([0-9a-f]+) (.*?)(?: \\(([^()]*)\\))?$");
    private final Consumer<PerfRecord> sink;
    private final int maxFrames;
    private final SourceLines lines;
    private PerfRecord.Sample pending; // header seen, frames being collected
    private List<StackFrame> frames;

    /**
     * @param sink      receives each record once complete
     * @param maxFrames frames kept per sample (perf may print more)
     * @param lines     adds file and line to frames, or null for none
     */
    PerfScriptParser(Consumer<PerfRecord> sink, int maxFrames, SourceLines lines) {
        this.sink = sink;
        this.maxFrames = maxFrames;
        this.lines = lines;
    }

    /** One line of output, without its line terminator. */
    void line(String line) {
        if (line.startsWith("\t") && pending != null) {
            if (frames.size() >= maxFrames) return;
            Matcher m = FRAME.matcher(line);
            StackFrame f = m.matches() ? frame(m) : null;
            if (f == null) return;
            if (lines == null) {
                frames.add(f);
                return;
            }
            for (StackFrame g : lines.withLines(f, m.group(3), !frames.isEmpty())) {
                if (frames.size() < maxFrames) frames.add(g);
            }
            return;
        }
        finish();
        if (line.isBlank()) return;
        Matcher lost = LOST.matcher(line);
        if (lost.find()) {
            sink.accept(new PerfRecord.Lost(Long.parseLong(lost.group(1))));
            return;
        }
        Matcher h = HEADER.matcher(line);
        if (!h.matches()) return; // perf's own notices
        long nanos = Long.parseLong(h.group(3)) * 1_000_000_000L + Long.parseLong(h.group(4));
        pending = new PerfRecord.Sample(Integer.parseInt(h.group(1)), Integer.parseInt(h.group(2)), nanos, h.group(6), h.group(7), List.of());
        frames = new ArrayList<>();
    }

    /** Delivers the sample being read, if any (also call it at the end of the stream). */
    void finish() {
        if (pending == null) return;
        PerfRecord.Sample s = pending;
        pending = null;
        sink.accept(new PerfRecord.Sample(s.pid(), s.tid(), s.monoNanos(), s.event(), s.payload(), List.copyOf(frames)));
    }

    /** A frame line; null for kernel frames and perf's end-of-chain marker, which say nothing about the program. */
    private static StackFrame frame(Matcher m) {
        String dso = m.group(3);
        if (dso != null && (dso.startsWith("[kernel") || dso.equals("[unknown]") && m.group(1).startsWith("ffffffff"))) return null;
        long address = Long.parseUnsignedLong(m.group(1), 16);
        String module = dso == null || dso.startsWith("[") ? null : dso.substring(dso.lastIndexOf('/') + 1);
        String symbol = m.group(2);
        String function = null;
        Long offset = null;
        if (!symbol.equals("[unknown]")) {
            int plus = symbol.lastIndexOf("+0x");
            function = plus < 0 ? symbol : symbol.substring(0, plus);
            offset = plus < 0 ? 0L : Long.parseLong(symbol.substring(plus + 3), 16);
            int version = function.indexOf("@@"); // __libc_start_main@@GLIBC_2.34: the versioned name
            if (version > 0) function = function.substring(0, version);
        }
        if (function == null) offset = address; // module-relative, as StackFrame documents
        return new StackFrame(address, module, function, offset, null, null);
    }
}
