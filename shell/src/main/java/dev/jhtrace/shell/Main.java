package dev.jhtrace.shell;

import dev.jhtrace.shell.cli.JhtraceCommand;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The {@code jhtrace} command. Every subcommand shares the exit codes: 0 success, 2 bad usage or
 * unreadable input, 3 a leak was found (where asked to judge), 4 target not found, 5 permission denied,
 * 6 engine unavailable, 1 anything else. Errors are one line on stderr; {@code --debug} adds the stack trace.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests and embedding). */
    public static int run(String... args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    }

    /** The configured command line writing to the given streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        JhtraceCommand top = new JhtraceCommand();
        CommandLine cl = new CommandLine(top);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(Main::exitCode);
        cl.getSubcommands().get("script").setStopAtPositional(true); // options after FILE are the script's
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("jhtrace: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return Failure.BAD_INPUT.exitCode();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            e.println("jhtrace: " + message(ex));
            if (top.debug()) ex.printStackTrace(e); else if (!(ex instanceof JhtraceException)) e.println("jhtrace: run with --debug for details");
            e.flush();
            return exitCode(ex);
        });
        return cl;
    }

    private static String message(Throwable ex) {
        if (ex instanceof JhtraceException) return ex.getMessage();
        if (ex instanceof OutOfMemoryError) return "out of memory: " + ex.getMessage();
        String m = ex.getMessage();
        return "internal error: " + ex.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    private static int exitCode(Throwable ex) {
        return ex instanceof JhtraceException j ? j.failure().exitCode() : Failure.OTHER.exitCode();
    }
}
