package dev.jhtrace.shell.cli;

import dev.jhtrace.shell.options.OutputOption;
import dev.jhtrace.capture.Capture;
import dev.jhtrace.capture.CaptureFiles;
import dev.jhtrace.capture.CaptureReader;
import dev.jhtrace.capture.CaptureReport;
import dev.jhtrace.capture.CaptureReportHtml;
import dev.jhtrace.capture.LeakVerdict;
import dev.jhtrace.capture.Verdict;
import dev.jhtrace.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jhtrace report}: the leak report of a capture directory, as text, JSON or an HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Turn a capture (see 'jhtrace capture') into the leak report: growth per type and per stack, and the verdict.",
                "Reads what survived a crash (a record cut short is skipped). Exit code 0: no leak; 3: a steady leak.",
                "-o FILE writes the report to FILE in the format its name says: .json, .html (the page), else text."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The capture directory (or one capture file).")
    Path dir;

    @Option(names = "--json", description = "Print JSON (see docs/capture.md) instead of text.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page (chart, stacks, verdict) to FILE.")
    Path html;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        output.check();
        Capture capture = CaptureReader.read(dir, false);
        Verdict verdict = LeakVerdict.DEFAULT.judge(capture);
        // the format: --json or FILE.json, FILE.html, else text
        String report = output.json(json) ? ReportJson.write(CaptureReport.json(capture, verdict))
                : output.hasExtension(".html") || output.hasExtension(".htm") ? CaptureReportHtml.render(capture, verdict)
                : CaptureReport.text(capture, verdict);
        if (html != null) CaptureFiles.writeAtomically(html, CaptureReportHtml.render(capture, verdict));
        output.write(report, spec.commandLine().getOut());
        return verdict.exitCode();
    }
}
