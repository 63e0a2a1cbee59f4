package dev.jhtrace.shell;

import dev.jhtrace.shell.cli.JhtraceCommandLine;
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
        if (EntryPoint.isVersionOnly(args)) {
            // the version alone needs no command model: building picocli's costs more than the JVM's own start
            try {
                return EntryPoint.printVersion(System.out);
            } catch (java.io.IOException unreadable) {
                // picocli's path below reports it as usual
            }
        }
        return JhtraceCommandLine.forArgs(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args).execute(args);
    }

    /** The configured command line, with every subcommand, writing to the given streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return JhtraceCommandLine.full(out, err);
    }

    /** The configured command line for running {@code args}; see {@link JhtraceCommandLine#forArgs}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, String... args) {
        return JhtraceCommandLine.forArgs(out, err, args);
    }
}
