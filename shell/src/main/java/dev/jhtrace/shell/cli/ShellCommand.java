package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.shell.repl.Repl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code jhtrace shell} (and {@code jhtrace} alone): the interactive shell. */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"The interactive shell, with WinDbg's commands and friendlier ones, and Groovy.",
                "WinDbg's .attach, !htrace and !handle; attach/snapshot/diff/show/watch; groovy> lines.",
                "Without a terminal it reads commands from stdin until end of input."})
public final class ShellCommand implements Callable<Integer> {
    @Mixin
    TracingConsent consent;

    @Mixin
    EngineOption engineOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        return Repl.run(spec.commandLine().getOut(), spec.commandLine().getErr(), engineOption::engine, consent.applyTo(TraceOptions.DEFAULT));
    }
}
