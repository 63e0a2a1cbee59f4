package dev.jhtrace.windbg;

import dev.jhtrace.model.StackTable;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses WinDbg / cdb / kd transcripts into {@link WindbgLog}s. A log is split into commands at prompt lines
 * ({@code 0:000>}, {@code 0:000:x86>}, {@code 10:220>}, {@code kd>}, {@code 1: kd>}); text before the first
 * prompt is output pasted without its command. Each output is read by the recognizer its command names
 * ({@code !htrace}, {@code !handle}); when the command is missing or unknown (typos such as {@code !hande}) the
 * content decides. Output of other commands is kept verbatim as {@link OtherOutput}. Linear in the log's size.
 *
 * <p>Stacks of all logs parsed by one parser are interned in its {@link StackTable}: use one parser per import.
 * Not thread-safe.
 */
public final class WindbgLogParser {
    /** Larger files are refused rather than risking the heap: real transcripts are far smaller. */
    public static final long MAX_FILE_BYTES = 512L * 1024 * 1024;
    /** Longer lines are reported as problems and skipped. */
    public static final int MAX_LINE_CHARS = 16 * 1024;

    private static final Pattern PROMPT = Pattern.compile(
            "^((?:\\d+:)?\\d+:\\d+(?::[A-Za-z0-9_]+)?|(?:\\d+:\\s?)?l?kd)>\\s?(.*)$");
    private static final Pattern HTRACE_COMMAND = Pattern.compile("^!(?:\\w+\\.)?htrace(?:\\s+(.*))?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern HANDLE_COMMAND = Pattern.compile("^!(?:\\w+\\.)?handle(?:\\s+(.*))?$", Pattern.CASE_INSENSITIVE);

    private final StackTable stacks;

    /** A parser interning stacks in a new table. */
    public WindbgLogParser() {
        this(new StackTable());
    }

    /** A parser interning stacks in {@code stacks}. */
    public WindbgLogParser(StackTable stacks) {
        this.stacks = stacks;
    }

    /** The table this parser interns stacks in. */
    public StackTable stacks() {
        return stacks;
    }

    /**
     * Reads and parses a log file: UTF-8 (invalid bytes replaced), or UTF-16 with a byte-order mark as
     * {@code .logopen /u} writes it.
     *
     * @throws JhtraceException BAD_INPUT when the file is missing, unreadable, too large or binary
     */
    public WindbgLog parse(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new JhtraceException(Failure.BAD_INPUT, file + ": too large for a WinDbg log (" + size + " bytes)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JhtraceException(Failure.BAD_INPUT, file + ": no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new JhtraceException(Failure.BAD_INPUT, file + ": permission denied", e);
        } catch (IOException e) {
            throw new JhtraceException(Failure.BAD_INPUT, file + ": cannot read: " + e.getMessage(), e);
        }
        String text = decode(bytes);
        if (text.indexOf('\0') >= 0) {
            throw new JhtraceException(Failure.BAD_INPUT, file + ": binary file, not a WinDbg text log");
        }
        Path name = file.getFileName();
        return parse(name == null ? file.toString() : name.toString(), text);
    }

    private static String decode(byte[] b) {
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
        }
        int start = b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(b, start, b.length - start)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("REPLACE never throws", e);
        }
    }

    /**
     * Parses log text.
     *
     * @param source the log's name, used in problems
     * @param text   the transcript
     */
    public WindbgLog parse(String source, String text) {
        Problems problems = new Problems(source);
        List<LogLine> lines = LineCleaner.clean(text);
        List<CommandOutput> outputs = new ArrayList<>();
        String prompt = null, command = null;
        int commandLine = 0;
        List<LogLine> chunk = new ArrayList<>();
        boolean seenPrompt = false;
        for (LogLine line : lines) {
            if (line.text().length() > MAX_LINE_CHARS) {
                // No WinDbg line is this long; refusing it keeps every recognizer linear in the log's size.
                problems.add(new LogLine(line.number(), line.text().substring(0, 120) + "..."),
                        "line too long (" + line.text().length() + " characters), skipped");
                continue;
            }
            Matcher m = PROMPT.matcher(line.text().strip());
            if (m.matches()) {
                if (seenPrompt || hasContent(chunk)) outputs.add(output(prompt, command, commandLine, chunk, problems));
                seenPrompt = true;
                prompt = m.group(1);
                command = m.group(2).strip();
                commandLine = line.number();
                chunk = new ArrayList<>();
            } else {
                chunk.add(line);
            }
        }
        if (seenPrompt || hasContent(chunk)) outputs.add(output(prompt, command, commandLine, chunk, problems));
        return new WindbgLog(source, outputs, problems.list());
    }

    private static boolean hasContent(List<LogLine> chunk) {
        for (LogLine l : chunk) if (!l.isBlank()) return true;
        return false;
    }

    private CommandOutput output(String prompt, String command, int commandLine, List<LogLine> chunk, Problems problems) {
        int line = commandLine;
        if (prompt == null) {
            for (LogLine l : chunk) {
                if (!l.isBlank()) {
                    line = l.number();
                    break;
                }
            }
        }
        return new CommandOutput(prompt, command, line, content(command, chunk, problems));
    }

    private OutputContent content(String command, List<LogLine> chunk, Problems problems) {
        if (command != null) {
            Matcher m = HTRACE_COMMAND.matcher(command);
            if (m.matches()) return HtraceParser.parse(chunk, htraceCommand(m.group(1)), stacks, problems);
            if ((m = HANDLE_COMMAND.matcher(command)).matches()) return HandleParser.parse(chunk, kernelTypeFiltered(m.group(1)), problems);
        }
        return switch (sniff(chunk)) {
            case HTRACE -> HtraceParser.parse(chunk, null, stacks, problems);
            case HANDLE -> HandleParser.parse(chunk, problems);
            case OTHER -> new OtherOutput(chunk.stream().filter(l -> !l.isBlank()).map(LogLine::text).toList());
        };
    }

    /** True for {@code !handle Handle KMFlags Process TypeName}: only kd's form has a fourth argument. */
    static boolean kernelTypeFiltered(String args) {
        return args != null && args.strip().split("\\s+").length >= 4;
    }

    /** The form named by {@code !htrace}'s arguments, or null when the content must decide. */
    static HtraceCommand htraceCommand(String args) {
        String a = args == null ? "" : args.strip().toLowerCase(Locale.ROOT);
        String first = a.isEmpty() ? "" : a.split("\\s+")[0];
        return switch (first) {
            case "-enable" -> HtraceCommand.ENABLE;
            case "-disable" -> HtraceCommand.DISABLE;
            case "-snapshot" -> HtraceCommand.SNAPSHOT;
            case "-diff" -> HtraceCommand.DIFF;
            case "-?", "?", "/?" -> HtraceCommand.USAGE;
            default -> first.startsWith("-") ? null : HtraceCommand.LISTING;
        };
    }

    private enum Kind { HTRACE, HANDLE, OTHER }

    /** Which recognizer the first telling line of an output calls for. */
    private static Kind sniff(List<LogLine> chunk) {
        for (LogLine l : chunk) {
            String s = l.text().strip();
            if (s.isEmpty()) continue;
            if (HtraceParser.USER_ENTRY.matcher(s).matches() || HtraceParser.KERNEL_ENTRY.matcher(s).matches()
                    || HtraceParser.SEPARATOR.matcher(s).matches() || HtraceParser.STATUS.matcher(s).matches()
                    || HtraceParser.NEW_TRACES.matcher(s).matches() || s.equals(HtraceParser.OUTSTANDING)) {
                return Kind.HTRACE;
            }
            if (HandleParser.HEAD.matcher(s).matches() || HandleParser.TOTAL.matcher(s).matches()
                    || HandleParser.TABLE_HEAD.matcher(s).matches() || HandleParser.TYPED_FOOTER.matcher(s).matches()
                    || HandleParser.K_ENTRY.matcher(s).matches() || HandleParser.K_FREE.matcher(s).matches()
                    || HandleParser.K_TABLE.matcher(s).matches()) {
                return Kind.HANDLE;
            }
        }
        return Kind.OTHER;
    }
}
