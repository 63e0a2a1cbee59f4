package dev.jhtrace.perf;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.SymbolResolver;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every process of the machine ({@code --all}), traced by one system-wide perf: no table of its own; each process seen
 * making a descriptor call is one of {@link #children()}, diffed on its own. Processes of jhtrace and of its perf are
 * left out.
 */
final class PerfSystemSource implements HandleSource {
    /** The name reports give the machine as a whole. */
    static final String NAME = "all processes";
    private final PerfTracing tracing;
    private boolean closed;

    PerfSystemSource(PerfTracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public TargetInfo target() {
        return new TargetInfo(0, NAME);
    }

    @Override
    public String engineName() {
        return PerfEngine.NAME;
    }

    /** None of its own: the processes have theirs. */
    @Override
    public HandleTable handles() {
        return new HandleTable(0, Instant.now(), List.of());
    }

    @Override
    public Optional<HandleTracing> tracing() {
        return Optional.of(tracing);
    }

    @Override
    public SymbolResolver symbols() {
        return SymbolResolver.NONE;
    }

    /** The processes still holding a descriptor they opened while traced (the others have nothing outstanding). */
    @Override
    public List<HandleSource> children() {
        return tracing.processSources(true);
    }

    /** Processes beyond {@link PerfTracing#MAX_PROCESSES} kept at once. */
    @Override
    public long untracedChildren() {
        return tracing.untracedProcesses();
    }

    /** The machine runs on. */
    @Override
    public boolean isAlive() {
        return true;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        tracing.disable();
    }
}
