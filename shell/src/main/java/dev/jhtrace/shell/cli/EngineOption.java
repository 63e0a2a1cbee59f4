package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import picocli.CommandLine.Option;

/** {@code --engine perf|gdb|windows}: which engine reaches live processes (default: {@link Engines#liveChoice()}). */
public final class EngineOption {
    @Option(names = "--engine", paramLabel = "NAME",
            description = "The engine for live processes: perf or gdb on Linux (default: perf where permitted, root or CAP_PERFMON, gdb otherwise; 'jhtrace doctor' says which and why), "
                    + "windows on Windows (also accepted as dbgeng, its former name).")
    String name;

    /** The engine asked for, or the default one. */
    Engine engine() {
        return Engines.forLiveProcesses(name);
    }

    /** The engine asked for, or the one that lists handles without probing the others ({@link Engines#forHandleListing()}). */
    Engine forListing() {
        return name == null ? Engines.forHandleListing() : Engines.named(name);
    }
}
