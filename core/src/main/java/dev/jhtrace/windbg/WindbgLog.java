package dev.jhtrace.windbg;

import java.util.List;

/**
 * A parsed WinDbg log: the commands it shows, each with its typed output, and the lines that could not be placed.
 *
 * @param source   the log's name (usually its file name), used in problems
 * @param outputs  the command outputs in log order
 * @param problems lines that could not be placed, in log order
 */
public record WindbgLog(String source, List<CommandOutput> outputs, List<ParseProblem> problems) {
    public WindbgLog {
        outputs = List.copyOf(outputs);
        problems = List.copyOf(problems);
    }

    /** The {@code !htrace} outputs, in log order. */
    public List<HtraceOutput> htraceOutputs() {
        return outputs.stream().map(CommandOutput::content)
                .filter(HtraceOutput.class::isInstance).map(HtraceOutput.class::cast).toList();
    }

    /** The {@code !handle} outputs, in log order. */
    public List<HandleOutput> handleOutputs() {
        return outputs.stream().map(CommandOutput::content)
                .filter(HandleOutput.class::isInstance).map(HandleOutput.class::cast).toList();
    }
}
