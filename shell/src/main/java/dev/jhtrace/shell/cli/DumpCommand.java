package dev.jhtrace.shell.cli;

import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.dump.MinidumpEngine;
import dev.jhtrace.dump.MinidumpHandleSource;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.spi.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code jhtrace dump}: the handles in a Windows minidump, on any OS; with a handle-operation stream,
 * also the htrace-style report of handles opened and not closed.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Read a Windows minidump (procdump, Task Manager, WER, .dump /mh): the !handle 0 0-style summary and the handle listing.",
                "When the dump holds handle operations (stream 18, from !htrace or Application Verifier), also the leak report."})
public final class DumpCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE.dmp", description = "The minidump.")
    Path file;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "Only handles of this type.")
    String type;

    @Mixin
    ReportOptions report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var analyzer = report.checkedAnalyzer();
        try (MinidumpHandleSource source = (MinidumpHandleSource) Engines.named(MinidumpEngine.NAME).open(file)) {
            HandleListing listing = HandleListing.of(source.handles());
            if (type != null) listing = listing.ofType(type);
            LeakReport leaks = source.dump().hasHandleOperations() ? report.limit(analyzer.analyze(source.leakDiff(), MinidumpEngine.NAME)) : null;
            String text = report.json() ? ReportJson.write(ReportJson.tree(leaks, listing)) + "\n"
                    : source.dump().summary() + System.lineSeparator() + LeakReportText.render(listing)
                    + (leaks == null ? "" : "\n" + LeakReportText.render(leaks));
            report.output().write(text, spec.commandLine().getOut());
        }
        return 0;
    }
}
