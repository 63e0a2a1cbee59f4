package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code jhtrace doctor}: what this machine offers jhtrace, and what to fix. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the engines: debugger found and its version, permissions, what to install.")
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("jhtrace on %s %s, Java %s (%s-bit)%n", System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("sun.arch.data.model", "?"));
        boolean any = false;
        for (Engine e : Engines.all()) {
            Engine.Availability a = e.availability();
            any |= a.available();
            out.printf("%-9s %-13s %s%n", e.name(), a.available() ? "available" : "unavailable", a.detail());
        }
        out.flush();
        return any ? 0 : dev.jhtrace.spi.Failure.ENGINE_UNAVAILABLE.exitCode();
    }
}
