package dev.jhtrace.shell.cli;

import dev.jhtrace.shell.options.OutputOption;
import dev.jhtrace.analysis.GroupBy;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.ProcessExit;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The options every command that prints a leak report shares. */
public final class ReportOptions {
    @Option(names = "--json", description = "Print JSON (see docs/json.md) instead of text.")
    boolean json;

    @Option(names = "--top", paramLabel = "N", description = "Show only the N heaviest groups.")
    Integer top;

    @Option(names = "--group-by", paramLabel = "KEY", defaultValue = "stack",
            description = "Group outstanding handles by stack, type, module or function (default: ${DEFAULT-VALUE}).")
    String groupBy;

    @Option(names = "--merge-at", paramLabel = "leak-frame",
            description = "Merge stacks that differ only in the callers of their leaking frame (value: leak-frame).")
    String mergeAt;

    @Mixin
    OutputOption output;

    /** The analyzer these options ask for. */
    public LeakAnalyzer analyzer() {
        if (mergeAt != null && !mergeAt.equals("leak-frame")) {
            throw new JhtraceException(Failure.BAD_INPUT, "--merge-at takes 'leak-frame', not '" + mergeAt + "'");
        }
        if (top != null && top < 1) throw new JhtraceException(Failure.BAD_INPUT, "--top must be at least 1");
        return LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.parse(groupBy)).withMergeAtLeakFrame(mergeAt != null);
    }

    /** The report limited to --top groups. */
    public LeakReport limit(LeakReport report) {
        return top == null ? report : report.top(top);
    }

    /** Whether the report is JSON: {@code --json}, or an output file ending in {@code .json}. */
    public boolean json() {
        return output.json(json);
    }

    /** Where the report goes: {@code -o FILE} or stdout. */
    public OutputOption output() {
        return output;
    }

    /** Checks the options before any work: the analyzer's options and that the output file can be written. */
    public LeakAnalyzer checkedAnalyzer() {
        output.check();
        return analyzer();
    }

    /** Prints the report as text or JSON, to {@code -o FILE} or {@code out}. */
    public void print(LeakReport report, PrintWriter out) {
        print(report, null, out);
    }

    /** Prints the report as text or JSON; {@code exit}, when the target ended, is the JSON's {@code exit} object. */
    public void print(LeakReport report, ProcessExit exit, PrintWriter out) {
        print(report, exit, java.util.List.of(), out);
    }

    /**
     * Prints the report and, after it, the reports of processes it stands for (the target's children): in text each
     * under a line naming its pid, in JSON as the {@code processes} array, each with its own {@code target}.
     */
    public void print(LeakReport report, ProcessExit exit, java.util.List<LeakReport> processes, PrintWriter out) {
        print(report, exit, processes, java.util.List.of(), out);
    }

    /**
     * As {@link #print(LeakReport, ProcessExit, java.util.List, PrintWriter)}, with the engine's notes on how the trace
     * was made ({@code HandleSource.traceNotes()}): the JSON's {@code notes} array when there are any; text leaves them
     * to the caller's stderr.
     */
    public void print(LeakReport report, ProcessExit exit, java.util.List<LeakReport> processes, java.util.List<String> notes, PrintWriter out) {
        LeakReport shown = limit(report);
        String text;
        if (json()) {
            var tree = ReportJson.tree(shown);
            if (exit != null) ReportJson.exit(tree, exit);
            if (!notes.isEmpty()) {
                var array = tree.putArray("notes");
                notes.forEach(array::add);
            }
            if (!processes.isEmpty()) {
                var array = tree.putArray("processes");
                for (LeakReport p : processes) array.add(ReportJson.tree(limit(p)));
            }
            text = ReportJson.write(tree);
        } else {
            StringBuilder sb = new StringBuilder(LeakReportText.render(shown));
            // a section per child that holds something it opened; the others (a build's compilers, a script's
            // subshells) in one line, by name
            java.util.Map<String, java.util.List<Integer>> clean = new java.util.TreeMap<>();
            for (LeakReport p : processes) {
                if (p.outstanding() == 0) {
                    clean.computeIfAbsent(p.target().name() == null ? "?" : p.target().name(), k -> new java.util.ArrayList<>()).add(p.target().pid());
                    continue;
                }
                sb.append('\n');
                section(sb, p);
            }
            if (!clean.isEmpty()) {
                int count = clean.values().stream().mapToInt(java.util.List::size).sum();
                java.util.StringJoiner who = new java.util.StringJoiner(", ");
                clean.forEach((name, pids) -> who.add(name + " (pid " + pids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + ")"));
                sb.append("\n").append(count).append(count == 1 ? " other process holds nothing it opened: " : " other processes hold nothing they opened: ").append(who).append('\n');
            }
            text = sb.toString();
        }
        output.write(text + "\n", out);
    }

    /** Prints the reports of several processes (--all) as one: text sections, or JSON {@code {"processes": [...]}}. */
    public void print(java.util.List<LeakReport> processes, PrintWriter out) {
        String text;
        if (json()) {
            var tree = ReportJson.mapper().createObjectNode();
            var array = tree.putArray("processes");
            for (LeakReport p : processes) array.add(ReportJson.tree(limit(p)));
            text = ReportJson.write(tree);
        } else {
            StringBuilder sb = new StringBuilder();
            for (LeakReport p : processes) {
                if (sb.length() > 0) sb.append('\n');
                section(sb, p);
            }
            text = sb.length() == 0 ? "no process leaked" : sb.toString();
        }
        output.write(text + "\n", out);
    }

    /** One process's report under a line naming it. */
    private void section(StringBuilder sb, LeakReport p) {
        sb.append("== process ").append(p.target().name() == null ? "" : p.target().name() + " ").append("(pid ").append(p.target().pid()).append(") ==\n");
        sb.append(LeakReportText.render(limit(p)));
    }
}
