package dev.jhtrace.shell.cli;

import dev.jhtrace.shell.options.OutputOption;
import dev.jhtrace.spi.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code jhtrace handles}: the handles a process has open, like {@code !handle} or handle.exe, without stopping it. */
@Command(name = "handles", mixinStandardHelpOptions = true,
        description = {"List the handles (file descriptors) a process has open, counts by type first, like !handle 0 0.",
                "The target is not stopped or attached to."})
public final class HandlesCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "Only handles of this type (File, Socket, Pipe, Key ...).")
    String type;

    @Option(names = "--json", description = "Print JSON (see docs/json.md).")
    boolean json;

    @Mixin
    OutputOption output;

    @Mixin
    EngineOption engineOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        output.check();
        Engine engine = engineOption.forListing();
        output.write(HandlesReport.of(engine, target.resolve(engine), type, output.json(json)), spec.commandLine().getOut());
        return 0;
    }
}
