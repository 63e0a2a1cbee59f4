package dev.jhtrace.shell.cli;

import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.windbg.WindbgImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jhtrace import}: WinDbg logs in, leak report and handle listing out. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read WinDbg logs (!htrace, !htrace -diff, !handle, !handle 0 0 ... output, as saved by .logopen or pasted)",
                "and print the outstanding handles grouped by stack, heaviest first, then counts by type; for !handle output, the summary and listing.",
                "Lines that cannot be placed are reported on stderr with their file and line."})
public final class ImportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "WinDbg log files.")
    List<Path> files;

    @Mixin
    ReportOptions report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var analyzer = report.checkedAnalyzer();
        WindbgImport imported = WindbgImport.read(files).requireContent();
        PrintWriter err = spec.commandLine().getErr();
        for (String problem : imported.problems()) err.println("jhtrace: warning: " + problem);
        err.flush();

        LeakReport leaks = imported.hasHtrace() ? report.limit(imported.leakReport(analyzer)) : null;
        HandleListing handles = imported.hasHandles() ? imported.handleListing() : null;
        StringBuilder text = new StringBuilder();
        if (report.json()) {
            text.append(ReportJson.write(ReportJson.tree(leaks, handles))).append('\n');
        } else {
            if (leaks != null) text.append(LeakReportText.render(leaks));
            if (leaks != null && handles != null) text.append(System.lineSeparator());
            if (handles != null) text.append(LeakReportText.render(handles));
        }
        report.output().write(text.toString(), spec.commandLine().getOut());
        return 0;
    }
}
