package dev.jhtrace.windbg;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes the output of every {@code !htrace} form, one line at a time. Entries start at their
 * {@code Handle = 0x.. - KIND} (user) or {@code Handle 0x.. - KIND:} (kernel) line, not at separators, because
 * separators get lost in pasted text. Blank lines carry no meaning. Lines it cannot place become problems.
 */
final class HtraceParser {
    static final Pattern SEPARATOR = Pattern.compile("^-{10,}$");
    static final Pattern USER_ENTRY = Pattern.compile("^Handle = (?:0x)?([0-9a-fA-F`]+) - (.+?)\\s*:?$");
    static final Pattern KERNEL_ENTRY = Pattern.compile("^Handle (?:0x)?([0-9a-fA-F`]+) - (.+?):$");
    private static final Pattern THREAD = Pattern.compile("^Thread ID = 0x([0-9a-fA-F`]+), Process ID = 0x([0-9a-fA-F`]+)$");
    static final Pattern STATUS = Pattern.compile("^Handle tracing .*$");
    static final Pattern NEW_TRACES = Pattern.compile("^0x([0-9a-fA-F]+) new stack traces since the previous snapshot\\.$");
    static final String IGNORING = "Ignoring handles that were already closed...";
    static final String OUTSTANDING = "Outstanding handles opened since the previous snapshot:";
    private static final Pattern PROCESS = Pattern.compile("^Process 0x([0-9a-fA-F`]+)$");
    private static final Pattern OBJECT_TABLE = Pattern.compile("^ObjectTable 0x([0-9a-fA-F`]+)$");
    private static final Pattern PARSED = Pattern.compile("^Parsed 0x([0-9a-fA-F]+) stack traces\\.$");
    private static final Pattern DUMPED = Pattern.compile("^Dumped 0x([0-9a-fA-F]+) stack traces\\.$");
    private static final Pattern DISPLAYED = Pattern.compile(
            "^Displayed 0x([0-9a-fA-F]+) stack traces for outstanding handles opened since the previous snapshot\\.$");
    // A short run of asterisks is an author's elision; the 70+ asterisk rules of symbol-load banners are noise.
    static final Pattern ELISION = Pattern.compile("^(\\.{3,}|\\*{3,40})$");
    private static final Pattern USAGE = Pattern.compile("^!htrace( .*)?$");
    /** Debugger messages that land inside command output: symbol and checksum warnings, extension loading. */
    static final Pattern NOISE = Pattern.compile("^(\\*{3}.*|WARNING: .*|Loaded .* extension DLL|Could not .*|Unable to .*"
            + "|Symbol search path is: .*|Executable search path is: .*)$");

    private final StackTable stacks;
    private final Problems problems;

    private HtraceCommand command;
    private HtraceLayout layout;
    private final List<String> messages = new ArrayList<>();
    private Long newTraces, process, objectTable, parsed, dumped, displayed;
    private boolean ignoring, diffHeader;
    private int elisions;
    private final List<String> usage = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Entry> printed = new ArrayList<>();
    private Entry current;

    /** An entry as printed, before orders are known. */
    private static final class Entry {
        final EventKind kind;
        final long handle;
        int pid, tid;
        final List<StackFrame> frames = new ArrayList<>();

        Entry(EventKind kind, long handle) {
            this.kind = kind;
            this.handle = handle;
        }
    }

    private HtraceParser(HtraceCommand command, StackTable stacks, Problems problems) {
        this.command = command;
        this.stacks = stacks;
        this.problems = problems;
    }

    /**
     * @param lines   the output's lines
     * @param command the form given by the command line, or null to infer it from the content
     */
    static HtraceOutput parse(List<LogLine> lines, HtraceCommand command, StackTable stacks, Problems problems) {
        HtraceParser p = new HtraceParser(command, stacks, problems);
        for (int i = 0; i < lines.size(); i++) {
            LogLine line = lines.get(i);
            if (line.isBlank()) continue;
            String s = line.text().strip();
            if (p.accept(line, s)) continue;
            // A footer hard-wrapped by its author: retry joined with the next non-blank line.
            int j = i + 1;
            while (j < lines.size() && lines.get(j).isBlank()) j++;
            if (j < lines.size() && p.acceptFooter(s + " " + lines.get(j).text().strip())) {
                i = j;
                continue;
            }
            problems.add(line, "unrecognized !htrace line");
        }
        return p.build();
    }

    private boolean accept(LogLine line, String s) {
        if (SEPARATOR.matcher(s).matches()) {
            current = null;
            return true;
        }
        StackFrame frame = FrameParser.parse(s);
        if (frame != null) {
            if (current == null) {
                problems.add(line, "stack frame outside an entry");
            } else {
                current.frames.add(stacks.intern(frame));
            }
            return true;
        }
        Matcher m;
        if ((m = USER_ENTRY.matcher(s)).matches() && startEntry(line, m.group(1), m.group(2), false)) return true;
        if ((m = KERNEL_ENTRY.matcher(s)).matches() && startEntry(line, m.group(1), m.group(2), true)) return true;
        if ((m = THREAD.matcher(s)).matches()) {
            Long tid = Hex.parse(m.group(1)), pid = Hex.parse(m.group(2));
            if (current == null || !current.frames.isEmpty()) {
                problems.add(line, "thread line outside an entry");
            } else if (tid == null || pid == null) {
                problems.add(line, "thread or process id too large");
            } else {
                current.tid = (int) (long) tid;
                current.pid = (int) (long) pid;
            }
            return true;
        }
        if (ELISION.matcher(s).matches()) {
            elisions++;
            return true;
        }
        if (STATUS.matcher(s).matches()) {
            messages.add(s);
            return true;
        }
        if (s.equals(IGNORING)) {
            ignoring = true;
            return true;
        }
        if ((m = PROCESS.matcher(s)).matches()) {
            process = Hex.parse(m.group(1));
            return true;
        }
        if ((m = OBJECT_TABLE.matcher(s)).matches()) {
            objectTable = Hex.parse(m.group(1));
            return true;
        }
        if (USAGE.matcher(s).matches()) {
            usage.add(s);
            return true;
        }
        if (NOISE.matcher(s).matches()) {
            notes.add(s);
            return true;
        }
        return acceptFooter(s);
    }

    /** Header and footer sentences: the lines authors hard-wrap. */
    private boolean acceptFooter(String s) {
        Matcher m;
        if ((m = NEW_TRACES.matcher(s)).matches()) newTraces = Hex.parse(m.group(1));
        else if (s.equals(OUTSTANDING)) diffHeader = true;
        else if ((m = PARSED.matcher(s)).matches()) parsed = Hex.parse(m.group(1));
        else if ((m = DUMPED.matcher(s)).matches()) dumped = Hex.parse(m.group(1));
        else if ((m = DISPLAYED.matcher(s)).matches()) displayed = Hex.parse(m.group(1));
        else return false;
        current = null; // header and footer lines end any entry
        return true;
    }

    private boolean startEntry(LogLine line, String value, String kindText, boolean kernel) {
        EventKind kind = kindOf(kindText);
        Long handle = Hex.parse(value);
        if (kind == null || handle == null) return false;
        current = new Entry(kind, handle);
        printed.add(current);
        if (layout == null) {
            String digits = value.replace("`", "");
            layout = kernel ? HtraceLayout.KERNEL : digits.length() > 8 ? HtraceLayout.USER_64 : HtraceLayout.USER_32;
        }
        return true;
    }

    private static EventKind kindOf(String text) {
        String k = text.replace("*", "").strip().toUpperCase(Locale.ROOT);
        return switch (k) {
            case "OPEN" -> EventKind.OPEN;
            case "CLOSE" -> EventKind.CLOSE;
            case "BAD REFERENCE", "BADREF" -> EventKind.BADREF;
            default -> null;
        };
    }

    private HtraceOutput build() {
        // WinDbg prints newest first: orders count from the last printed entry.
        List<TraceEvent> events = new ArrayList<>(printed.size());
        for (int i = printed.size() - 1, order = 0; i >= 0; i--, order++) {
            Entry e = printed.get(i);
            StackTrace stack = e.frames.isEmpty() ? StackTrace.EMPTY : stacks.intern(new StackTrace(e.frames));
            events.add(new TraceEvent(order, e.kind, e.handle, e.pid, e.tid, TraceEvent.NO_TIME, stack));
        }
        if (command == null) command = inferCommand(events);
        return new HtraceOutput(command, layout == null ? HtraceLayout.USER_32 : layout, messages, newTraces, ignoring,
                diffHeader, process, objectTable, events, elisions, parsed, dumped, displayed, usage, notes);
    }

    private HtraceCommand inferCommand(List<TraceEvent> events) {
        if (diffHeader || newTraces != null || displayed != null) return HtraceCommand.DIFF;
        if (!events.isEmpty() || parsed != null || dumped != null) return HtraceCommand.LISTING;
        if (!usage.isEmpty()) return HtraceCommand.USAGE;
        for (String msg : messages) {
            if (msg.equals(WindbgWriter.TRACING_ENABLED)) return HtraceCommand.ENABLE;
            if (msg.equals(WindbgWriter.TRACING_DISABLED)) return HtraceCommand.DISABLE;
        }
        return messages.isEmpty() ? HtraceCommand.LISTING : HtraceCommand.SNAPSHOT;
    }
}
