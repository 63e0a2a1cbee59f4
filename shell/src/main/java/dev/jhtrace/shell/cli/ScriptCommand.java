package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.shell.api.Jhtrace;
import dev.jhtrace.shell.api.Status;
import dev.jhtrace.shell.repl.CtrlC;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import java.io.IOException;
import dev.jhtrace.shell.script.ScriptErrors;
import dev.jhtrace.shell.script.ScriptRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jhtrace script FILE [ARGS]}: runs a Groovy leak-hunt script (see docs/scripting.md). Every
 * target it attached is detached at the end, also on an error or Ctrl-C. Errors print as
 * {@code FILE:LINE: message} with exit code 1 or the jhtrace failure's code.
 */
@Command(name = "script", mixinStandardHelpOptions = true,
        description = {"Run a Groovy script with jhtrace's API (attach, open, load, withTracing ...); see docs/scripting.md.",
                "Arguments after FILE are the script's (args[0] ...)."})
public final class ScriptCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The .groovy script.")
    Path file;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "ARGS", description = "Arguments for the script.")
    List<String> args;

    @Mixin
    TracingConsent consent;

    @Mixin
    EngineOption engineOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Jhtrace api = new Jhtrace(engineOption::engine, consent.applyTo(TraceOptions.DEFAULT));
        SignalHandler previous = null;
        try {
            previous = Signal.handle(new Signal("INT"), s -> api.cancel()); // Ctrl-C ends the script's waits; targets still detach
        } catch (IllegalArgumentException noSigint) {
            // platform without SIGINT: Ctrl-C ends the JVM and the detach hook below still runs
        }
        Terminal terminal = null;
        CtrlC.Watch keys = null;
        if (System.console() != null) {
            try {
                // on a terminal Ctrl-C is read as a key, so that it does not reach gdb as SIGINT
                terminal = TerminalBuilder.builder().system(true).build();
                keys = CtrlC.watch(terminal, api::cancel);
            } catch (IOException | RuntimeException noTerminal) {
                terminal = null; // fall back to SIGINT
            }
        }
        Status.Shown detachOnExit = api.detachOnShutdown();
        try {
            new ScriptRunner(api, out).runFile(file, args == null ? List.of() : args);
            out.flush();
            return 0;
        } catch (Exception | LinkageError | StackOverflowError e) {
            out.flush();
            if (ScriptErrors.isExit(e)) return ScriptErrors.exitCode(e);
            err.println("jhtrace: " + ScriptErrors.message(e, file.getFileName().toString()));
            if (spec.parent() != null && spec.parent().userObject() instanceof JhtraceRoot top && top.debug()) e.printStackTrace(err);
            err.flush();
            return ScriptErrors.exitCode(e);
        } finally {
            try {
                api.close();
            } catch (RuntimeException e) {
                err.println("jhtrace: " + e.getMessage());
            }
            detachOnExit.close();
            api.warnings().forEach(w -> err.println("jhtrace: warning: " + w));
            if (keys != null) keys.close();
            if (terminal != null) {
                try {
                    terminal.close();
                } catch (IOException ignored) {
                    // closing only restores the terminal's settings
                }
            }
            if (previous != null) Signal.handle(new Signal("INT"), previous);
        }
    }
}
