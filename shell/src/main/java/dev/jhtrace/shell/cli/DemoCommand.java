package dev.jhtrace.shell.cli;

import dev.jhtrace.examples.CProgram;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jhtrace demo}: builds the leaky example server, traces it while it runs, and prints the report.
 * The first thing a new user runs.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Build a leaky example server, trace it for a few seconds, and print which code leaked what.",
                "The server is examples/linux/demo-server.c: two leaks and two correct uses. Needs gcc and gdb (Linux)."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "3", description = "How long the demo server runs (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path source = home().resolve("examples/linux/demo-server.c");
        if (!Files.isRegularFile(source)) {
            throw new JhtraceException(Failure.BAD_INPUT, "cannot find " + source + ": run the demo from the jhtrace checkout (./jhtrace demo)");
        }
        Path binary = home().resolve("examples/linux/bin/demo-server");
        CProgram.build(source, binary);
        spec.commandLine().getErr().println("jhtrace demo: tracing " + binary + " for " + seconds + "s ...");
        spec.commandLine().getErr().flush();
        List<String> args = new ArrayList<>(List.of("leaks", "--top", "5"));
        if (json) args.add("--json");
        args.addAll(List.of("--", binary.toString(), String.valueOf(seconds), "50"));
        return JhtraceCommandLine.full(spec.commandLine().getOut(), spec.commandLine().getErr()).execute(args.toArray(String[]::new));
    }

    /** The checkout the launcher runs from ({@code jhtrace.home}), else the current directory. */
    private static Path home() {
        return Path.of(System.getProperty("jhtrace.home", ".")).toAbsolutePath().normalize();
    }
}
