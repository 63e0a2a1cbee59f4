package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import picocli.CommandLine.Option;

/** {@code --engine perf|gdb|windows}: which engine reaches live processes (default: {@link Engines#liveChoice()}). */
public final class EngineOption {
    @Option(names = "--engine", paramLabel = "NAME",
            description = "The engine for live processes: perf or gdb on Linux (default: gdb; 'jhtrace doctor' says whether perf is permitted), "
                    + "windows on Windows (also accepted as dbgeng, its former name).")
    String name;

    /** The engine asked for, or the default one. */
    Engine engine() {
        return Engines.forLiveProcesses(name);
    }
}
