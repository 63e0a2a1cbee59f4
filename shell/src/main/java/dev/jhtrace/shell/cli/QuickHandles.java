package dev.jhtrace.shell.cli;

import dev.jhtrace.shell.options.OutputOption;
import dev.jhtrace.spi.Engines;
import dev.jhtrace.spi.JhtraceException;

import java.io.PrintWriter;

/**
 * {@code jhtrace handles --pid P}, with {@code --json} and {@code --type T} at most once each, run without picocli.
 * Building picocli's command model took a quarter of a second of such a run (its classes come from the jar, Java 5
 * class files that the class-data-sharing archive cannot keep, and its annotations are read through proxies): more
 * than the JVM's start. Only these plain forms are taken; anything else ({@code --name}, {@code -o}, {@code --engine},
 * {@code --debug}, {@code --pid=P}, a pid picocli would read otherwise, help, a mistake) goes to picocli, so its
 * messages stay its own. What is printed, and the exit code, are {@link HandlesCommand}'s: both print
 * {@link HandlesReport}, and failures are told by {@link ErrorLines} as the command line tells them.
 */
public final class QuickHandles {
    private final int pid;
    private final String type;
    private final boolean json;

    private QuickHandles(int pid, String type, boolean json) {
        this.pid = pid;
        this.type = type;
        this.json = json;
    }

    /** The run {@code args} ask for, when it is one of the plain forms; null when picocli is to read them. */
    public static QuickHandles parse(String... args) {
        if (args.length < 3 || !args[0].equals("handles")) return null;
        int pid = -1;
        String type = null;
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json") && !json) {
                json = true;
            } else if ((a.equals("--pid") || a.equals("-p")) && pid < 0 && i + 1 < args.length) {
                pid = plainPid(args[++i]);
                if (pid < 0) return null;
            } else if ((a.equals("--type") || a.equals("-t")) && type == null && i + 1 < args.length && plainWord(args[i + 1])) {
                type = args[++i];
            } else {
                return null;
            }
        }
        return pid < 0 ? null : new QuickHandles(pid, type, json);
    }

    /**
     * A pid written as picocli reads it the same way: 1 to 9 digits, no leading zero (picocli's integers take
     * {@code 0x} and octal forms, and out-of-range or non-positive pids have its messages); else -1.
     */
    private static int plainPid(String s) {
        if (s.isEmpty() || s.length() > 9 || s.charAt(0) == '0') return -1;
        int value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** A value picocli takes as it is: not empty, not an option's look-alike, not an {@code @file} to expand. */
    private static boolean plainWord(String s) {
        return !s.isEmpty() && s.charAt(0) != '-' && s.charAt(0) != '@';
    }

    /** Prints the listing to {@code out}, or the failure to {@code err}; the exit code, as the command line's. */
    public int run(PrintWriter out, PrintWriter err) {
        String report;
        try {
            report = HandlesReport.of(Engines.forHandleListing(), pid, type, json);
        } catch (RuntimeException | Error e) {
            err.println("jhtrace: " + ErrorLines.message(e));
            if (!(e instanceof JhtraceException)) err.println("jhtrace: run with --debug for details");
            err.flush();
            return ErrorLines.exitCode(e);
        }
        OutputOption.to(null).write(report, out);
        return 0;
    }
}
