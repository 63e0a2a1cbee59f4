package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/**
 * The {@code jhtrace} command line, configured: its subcommands, exit codes and one-line error messages.
 * {@code Main} runs it; {@code demo} runs commands through it.
 */
public final class JhtraceCommandLine {
    static {
        // picocli's default factory otherwise loads groovy.lang.Closure (Groovy is on the class path for scripts),
        // whose initialisation starts the whole Groovy runtime (0.1-0.2 s of CPU on every start). jhtrace's
        // annotations hold no Groovy closures; this is picocli's documented switch for that.
        if (System.getProperty("picocli.disable.closures") == null) System.setProperty("picocli.disable.closures", "true");
    }

    private JhtraceCommandLine() {
    }

    /** The configured command line, with every subcommand, writing to the given streams. */
    public static CommandLine full(PrintWriter out, PrintWriter err) {
        JhtraceCommand top = new JhtraceCommand();
        return configure(new CommandLine(top), top, out, err);
    }

    /**
     * The configured command line for running {@code args}: when they name one command (or none, as
     * {@code --version} does), the top command with only that one, since picocli builds the model of every
     * subcommand it is given and a short run would spend a good part of its start-up on the others. Help,
     * completion and anything unrecognised get the whole tree, so their output and messages are the same.
     */
    public static CommandLine forArgs(PrintWriter out, PrintWriter err, String... args) {
        String word = commandWord(args);
        if (word == null && args.length > 0 && !List.of(args).contains("--help") && !List.of(args).contains("-h")) {
            JhtraceRoot top = new JhtraceRoot();
            return configure(new CommandLine(top), top, out, err);
        }
        Class<?> only = word == null ? null : subcommandNamed(word);
        if (only == null) return full(out, err);
        JhtraceRoot top = new JhtraceRoot();
        CommandLine cl = new CommandLine(top);
        cl.addSubcommand(word, new CommandLine(only));
        return configure(cl, top, out, err);
    }

    /** The first argument that is not one of the top command's options: the command named, or null. */
    private static String commandWord(String[] args) {
        for (String a : args) {
            if (a.equals("--debug") || a.equals("-V") || a.equals("--version") || a.equals("-h") || a.equals("--help")) continue;
            return a;
        }
        return null;
    }

    /** The subcommand class called {@code name} (not help or completion, which list the others), or null. */
    private static Class<?> subcommandNamed(String name) {
        for (Class<?> c : JhtraceCommand.class.getAnnotation(Command.class).subcommands()) {
            Command command = c.getAnnotation(Command.class);
            if (command != null && command.name().equals(name) && c != AutoComplete.GenerateCompletion.class && c != CommandLine.HelpCommand.class) return c;
        }
        return null;
    }

    private static CommandLine configure(CommandLine cl, JhtraceRoot top, PrintWriter out, PrintWriter err) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(ErrorLines::exitCode);
        CommandLine script = cl.getSubcommands().get("script");
        if (script != null) script.setStopAtPositional(true); // options after FILE are the script's
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("jhtrace: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return Failure.BAD_INPUT.exitCode();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            e.println("jhtrace: " + ErrorLines.message(ex));
            if (top.debug()) ex.printStackTrace(e); else if (!(ex instanceof JhtraceException)) e.println("jhtrace: run with --debug for details");
            e.flush();
            return ErrorLines.exitCode(ex);
        });
        return cl;
    }
}
