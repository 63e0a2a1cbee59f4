package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import picocli.CommandLine.Option;

/** {@code --engine perf|gdb}: which engine reaches live processes (default: perf where permitted, else gdb). */
public final class EngineOption {
    @Option(names = "--engine", paramLabel = "NAME",
            description = "The engine for live processes: perf or gdb on Linux (default: perf where permitted, else gdb; see 'jhtrace doctor').")
    String name;

    /** The engine asked for, or the default one. */
    Engine engine() {
        return Engines.forLiveProcesses(name);
    }
}
