package dev.jhtrace.shell.api;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.RecordedTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;
import dev.jhtrace.windbg.WindbgImport;

import java.util.Optional;

/**
 * A WinDbg text log ({@code !htrace -diff}, {@code !handle} output) seen as a source: its handles are
 * those {@code !handle} listed, its trace the OPEN entries {@code !htrace} printed. It reports itself
 * not alive so that a diff trusts the trace alone (the log's {@code !handle} output rarely lists the
 * same handles).
 */
final class WindbgLogSource implements HandleSource {
    private final WindbgImport log;

    WindbgLogSource(WindbgImport log) {
        this.log = log;
    }

    WindbgImport log() {
        return log;
    }

    @Override
    public TargetInfo target() {
        return log.target();
    }

    @Override
    public String engineName() {
        return WindbgImport.ENGINE;
    }

    /** The table the log's {@code !handle} output shows. */
    @Override
    public HandleTable handles() {
        if (!log.hasHandles()) throw new JhtraceException(Failure.BAD_INPUT, "the log has no !handle output");
        return new HandleTable(log.target().pid(), null, log.handleListing().handles());
    }

    /** None: a log is no live process, its diffs go by the trace it shows. */
    @Override
    public Optional<HandleTable> tableForDiff() {
        return Optional.empty();
    }

    @Override
    public Optional<HandleTracing> tracing() {
        return Optional.of(new RecordedTracing(log.trace(), "an imported WinDbg log"));
    }

    @Override
    public SymbolResolver symbols() {
        return SymbolResolver.NONE; // WinDbg printed the frames resolved
    }

    @Override
    public boolean isAlive() {
        return false;
    }

    /** Never: it is a record of a process, not the process. */
    @Override
    public boolean isLive() {
        return false;
    }

    @Override
    public void close() {
        // nothing held open
    }
}
