package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.api.Groups;
import dev.jhtrace.shell.api.Jhtrace;
import dev.jhtrace.shell.api.Target;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.PrintWriter;
import java.util.List;

/**
 * What the REPL's commands share: the scripting API object (so Groovy sees the same targets), where
 * to print, whether colours are on, and the groups of the last {@code diff} for {@code show}.
 */
public final class ReplContext {
    private final Jhtrace api;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean colour;
    private Groups lastGroups;
    private boolean quit;

    /** A context printing to {@code out} and {@code err}, with ANSI colours when {@code colour}. */
    public ReplContext(Jhtrace api, PrintWriter out, PrintWriter err, boolean colour) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.colour = colour;
    }

    /** The scripting API object the commands work through (shared with Groovy mode). */
    public Jhtrace api() {
        return api;
    }

    /** Where command output goes. */
    public PrintWriter out() {
        return out;
    }

    /** Where errors go. */
    public PrintWriter err() {
        return err;
    }

    /** The current target, or a BAD_INPUT error saying how to get one. */
    public Target target() {
        Target t = api.getCurrent();
        if (t == null) throw new JhtraceException(Failure.BAD_INPUT, "no target: attach PID|NAME (or .attach PID) or open DUMP first");
        return t;
    }

    Groups lastGroups() {
        if (lastGroups == null) throw new JhtraceException(Failure.BAD_INPUT, "no leak groups yet: run diff first");
        return lastGroups;
    }

    void lastGroups(Groups groups) {
        this.lastGroups = groups;
    }

    boolean quitRequested() {
        return quit;
    }

    void requestQuit() {
        quit = true;
    }

    /** True on a terminal that takes ANSI cursor movement (the same terminals that get colours). */
    boolean redraws() {
        return colour;
    }

    /** Text in green on a terminal (added handles), plain otherwise. */
    String green(String s) {
        return colour ? "\033[32m" + s + "\033[0m" : s;
    }

    /** Text in red on a terminal (closed handles, errors), plain otherwise. */
    String red(String s) {
        return colour ? "\033[31m" + s + "\033[0m" : s;
    }

    /** Bold on a terminal. */
    String bold(String s) {
        return colour ? "\033[1m" + s + "\033[0m" : s;
    }

    void print(String text) {
        out.print(text);
        if (!text.endsWith("\n")) out.println();
        out.flush();
    }
}
