package dev.jhtrace.shell.cli;

import dev.jhtrace.shell.options.OutputOption;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
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
        HandleTable table = engine.handles(target.resolve(engine));
        HandleListing listing = HandleListing.of(table);
        if (type != null) {
            // a misspelt type would list nothing and look like "none open": say which types there are
            List<String> known = engine.handleTypes();
            if (!known.isEmpty() && known.stream().noneMatch(type::equalsIgnoreCase)) {
                throw new JhtraceException(Failure.BAD_INPUT, "unknown handle type '" + type + "'; the types are: " + String.join(", ", known));
            }
            listing = listing.ofType(type);
        }
        output.write(output.json(json) ? ReportJson.write(ReportJson.tree(listing)) : LeakReportText.render(listing), spec.commandLine().getOut());
        return 0;
    }
}
