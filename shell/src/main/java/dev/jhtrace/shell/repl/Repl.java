package dev.jhtrace.shell.repl;

import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.shell.api.Jhtrace;
import dev.jhtrace.shell.api.Status;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.Reference;
import org.jline.terminal.Attributes;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The interactive shell. On a terminal: JLine line editing, history in {@code ~/.jhtrace_history},
 * Tab completion, colours, a status line for slow operations, Ctrl-C interrupting the running command
 * (not the shell), Ctrl-D or {@code q} detaching from everything and leaving. Without a terminal
 * (stdin not a tty, e.g. CI) it reads commands line by line until end of input.
 */
public final class Repl {
    static final String PROMPT = "jhtrace> ";
    static final String GROOVY_PROMPT = "groovy> ";
    private static final String HISTORY_FILE = ".jhtrace_history";

    private Repl() {
    }

    /** Runs the shell on the process's terminal, or on stdin when there is none; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err) throws IOException {
        return run(out, err, Engines::forLiveProcesses);
    }

    /** Like {@link #run(PrintWriter, PrintWriter)}, reaching live processes through {@code liveEngine} ({@code --engine}). */
    public static int run(PrintWriter out, PrintWriter err, Supplier<Engine> liveEngine) throws IOException {
        return run(out, err, liveEngine, TraceOptions.DEFAULT);
    }

    /** Like {@link #run(PrintWriter, PrintWriter, Supplier)}, attaching with {@code defaults} (the consent to tracing's side effects). */
    public static int run(PrintWriter out, PrintWriter err, Supplier<Engine> liveEngine, TraceOptions defaults) throws IOException {
        if (System.console() == null) return runLines(System.in, out, err, new Jhtrace(liveEngine, defaults));
        return runTerminal(new Jhtrace(liveEngine, defaults));
    }

    /**
     * Reads commands from {@code in} one line at a time until end of input, echoing nothing but output.
     * Returns 0 when every command succeeded, else the exit code of the last one that failed.
     */
    public static int runLines(InputStream in, PrintWriter out, PrintWriter err) throws IOException {
        return runLines(in, out, err, new Jhtrace(Engines::forLiveProcesses));
    }

    /** As {@link #runLines(InputStream, PrintWriter, PrintWriter)}, reaching live processes through {@code liveEngine}. */
    static int runLines(InputStream in, PrintWriter out, PrintWriter err, Supplier<Engine> liveEngine) throws IOException {
        return runLines(in, out, err, new Jhtrace(liveEngine));
    }

    private static int runLines(InputStream in, PrintWriter out, PrintWriter err, Jhtrace api) throws IOException {
        SignalHandler previous = installInterrupt(api);
        try (api; Status.Shown detach = api.detachOnShutdown()) {
            ReplCommandLine commands = new ReplCommandLine(new ReplContext(api, out, err, false));
            DefaultParser parser = new DefaultParser();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            LineHandler handler = new LineHandler(commands, parser);
            int last = 0;
            String line;
            while (!commands.quitRequested() && (line = reader.readLine()) != null) {
                api.resetCancel(); // a Ctrl-C between commands must not cancel the next one
                int code = handler.handle(line);
                if (code != 0) last = code;
            }
            return last;
        } finally {
            if (previous != null) Signal.handle(new Signal("INT"), previous);
        }
    }

    private static int runTerminal(Jhtrace api) throws IOException {
        try (api; Terminal terminal = TerminalBuilder.builder().system(true).build();
             Status.Shown detach = api.detachOnShutdown();
             TerminalStatus status = new TerminalStatus(terminal.writer())) {
            boolean colour = !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
            PrintWriter out = terminal.writer();
            api.setStatus(status);
            ReplCommandLine commands = new ReplCommandLine(new ReplContext(api, out, out, colour));
            DefaultParser parser = new DefaultParser();
            LineHandler handler = new LineHandler(commands, parser);
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("jhtrace")
                    .parser(parser)
                    .completer(new ReplCompleter(commands.commandLine(), commands.context(), handler::groovyMode))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), HISTORY_FILE))
                    .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' starts WinDbg commands, not history events
                    .build();
            // Ctrl-C is a key, not SIGINT (which would reach gdb too): at the prompt it drops the line,
            // while a command runs it cancels the command at its next wait.
            Attributes original = CtrlC.disableSignals(terminal);
            reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference(LineReader.SEND_BREAK), KeyMap.ctrl('C'));
            terminal.handle(Terminal.Signal.INT, s -> api.cancel());
            out.println("jhtrace shell: help lists the commands, Tab completes, Ctrl-D or q leaves." + (Boolean.getBoolean("jhtrace.debugTerminal") ? " [" + terminal.getType() + " " + terminal.getClass().getSimpleName() + "]" : ""));
            out.flush();
            while (!commands.quitRequested()) {
                String line;
                try {
                    line = reader.readLine(handler.groovyMode() ? GROOVY_PROMPT : PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt clears the line
                } catch (EndOfFileException e) {
                    break;
                }
                api.resetCancel();
                CtrlC.Watch keys = CtrlC.watch(terminal, () -> {
                    terminal.writer().print("^C");
                    terminal.writer().flush();
                    api.cancel();
                });
                try {
                    handler.handle(line);
                } finally {
                    keys.close();
                }
                if (!keys.typedAhead().isEmpty()) reader.runMacro(keys.typedAhead()); // type-ahead goes to the next line
                if (api.resetCancel()) {
                    out.println("(interrupted)");
                    out.flush();
                }
            }
            terminal.setAttributes(original);
            int targets = api.getTargets().size();
            if (targets > 0) {
                out.println("detaching from " + targets + " target" + (targets == 1 ? "" : "s"));
                out.flush();
            }
            return 0;
        }
    }

    /** Turns SIGINT into a cancel of the running command (no terminal: the JVM would otherwise exit without detaching). */
    private static SignalHandler installInterrupt(Jhtrace api) {
        try {
            return Signal.handle(new Signal("INT"), s -> api.cancel());
        } catch (IllegalArgumentException e) {
            return null; // no SIGINT here: the shutdown path still detaches through Jhtrace.close
        }
    }

    /** One typed line: a command, {@code groovy> code}, or a mode switch. */
    static final class LineHandler {
        private final ReplCommandLine commands;
        private final DefaultParser parser;
        private boolean groovy;

        LineHandler(ReplCommandLine commands, DefaultParser parser) {
            this.commands = commands;
            this.parser = parser;
        }

        boolean groovyMode() {
            return groovy;
        }

        int handle(String raw) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") && !groovy) return 0;
            if (line.equals(":groovy")) {
                groovy = true;
                commands.context().print("Groovy mode: jhtrace's API is in scope (attach, open, target ...); :commands returns.");
                return 0;
            }
            if (line.equals(":commands") || (groovy && (line.equals(":exit") || line.equals(":q")))) {
                groovy = false;
                return 0;
            }
            if (groovy) return commands.evaluateGroovy(raw);
            if (line.startsWith(ReplCommandLine.GROOVY_PREFIX)) return commands.evaluateGroovy(line.substring(ReplCommandLine.GROOVY_PREFIX.length()));
            List<String> words;
            try {
                words = parser.parse(line, line.length()).words();
            } catch (RuntimeException e) {
                commands.context().err().println("error: cannot read that line: " + e.getMessage());
                commands.context().err().flush();
                return dev.jhtrace.spi.Failure.BAD_INPUT.exitCode();
            }
            return commands.execute(words.stream().filter(w -> !w.isEmpty()).toList());
        }
    }
}
