package dev.jhtrace.shell.api;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.RecordedTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;

import java.util.Optional;

/**
 * A session read back from a file: the handle table it had when saved and its trace. It cannot
 * trace further. It is "alive" (diffs check the saved table) unless it was saved from a target that
 * had exited or from a log, whose diffs go by the trace alone.
 */
final class SavedSource implements HandleSource {
    static final String ENGINE = "saved";
    private final TargetInfo target;
    private final HandleTable table;
    private final TraceLog log;
    private final boolean traceOnly;

    SavedSource(TargetInfo target, HandleTable table, TraceLog log, boolean traceOnly) {
        this.target = target;
        this.table = table;
        this.log = log;
        this.traceOnly = traceOnly;
    }

    @Override
    public TargetInfo target() {
        return target;
    }

    @Override
    public String engineName() {
        return ENGINE;
    }

    /** The table saved with the session. */
    @Override
    public HandleTable handles() {
        if (table == null) throw new JhtraceException(Failure.BAD_INPUT, "the saved session has no handle table");
        return table;
    }

    /** Saved from an exited process or a log: diffs go by the trace alone, as they did then. */
    @Override
    public Optional<HandleTable> tableForDiff() {
        return traceOnly ? Optional.empty() : Optional.of(handles());
    }

    @Override
    public Optional<HandleTracing> tracing() {
        return Optional.of(new RecordedTracing(log, "a saved session"));
    }

    @Override
    public SymbolResolver symbols() {
        return SymbolResolver.NONE; // frames were saved resolved
    }

    @Override
    public boolean isAlive() {
        return !traceOnly;
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
