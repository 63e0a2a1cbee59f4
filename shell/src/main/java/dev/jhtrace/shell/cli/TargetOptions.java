package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.stream.Collectors;

/** How a command names its target: {@code --pid P} or {@code --name NAME}. */
public final class TargetOptions {
    @Option(names = {"-p", "--pid"}, paramLabel = "PID", description = "The target's process id.")
    Integer pid;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The target's process name (must match exactly one process).")
    String name;

    boolean given() {
        return pid != null || name != null;
    }

    /** The pid asked for, looking the name up through the engine when a name was given. */
    int resolve(Engine engine) {
        if (pid != null && name != null) throw new JhtraceException(Failure.BAD_INPUT, "give --pid or --name, not both");
        if (pid != null) {
            if (pid <= 0) throw new JhtraceException(Failure.BAD_INPUT, "--pid must be a positive process id, not " + pid);
            return pid;
        }
        if (name == null) throw new JhtraceException(Failure.BAD_INPUT, "no target: give --pid PID or --name NAME");
        List<Engine.ProcessInfo> found = engine.findProcesses(name);
        if (found.isEmpty()) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no process named '" + name + "'");
        if (found.size() > 1) {
            throw new JhtraceException(Failure.BAD_INPUT, found.size() + " processes named '" + name + "', choose one with --pid: "
                    + found.stream().map(p -> p.pid() + (p.command() == null ? "" : " (" + p.command() + ")")).collect(Collectors.joining(", ")));
        }
        return found.get(0).pid();
    }
}
