package dev.jhtrace.perf;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.proc.ProcFdReader;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;
import dev.jhtrace.spi.TraceOptions;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A process traced as part of another's perf stream: a child of the target, or one process of {@code --all}. Its diff
 * starts at its first event (a snapshot without a table): what it opened while traced and still holds, or held when it
 * ended. perf runs for the source it came from, which enables, syncs and stops it; closing this one does nothing.
 */
final class PerfProcessSource implements HandleSource {
    private final TracedProcess process;
    private final PerfTracing stream;
    private final HandleTracing tracing = new ProcessTracing();

    PerfProcessSource(TracedProcess process, PerfTracing stream) {
        this.process = process;
        this.stream = stream;
    }

    @Override
    public TargetInfo target() {
        if (isAlive()) process.name(new LinuxProcess(process.pid()).name());
        return new TargetInfo(process.pid(), process.name());
    }

    @Override
    public String engineName() {
        return PerfEngine.NAME;
    }

    /** /proc's table while it runs; once it has exited (also while it was read), the replayed one. */
    @Override
    public HandleTable handles() {
        if (isAlive()) {
            try {
                HandleTable table = ProcFdReader.read(process.pid());
                if (isAlive()) return table;
            } catch (JhtraceException gone) {
                // exited while read: the replay below
            }
        }
        stream.syncStream();
        return process.replayedTable();
    }

    @Override
    public Optional<HandleTracing> tracing() {
        return Optional.of(tracing);
    }

    @Override
    public SymbolResolver symbols() {
        return SymbolResolver.NONE;
    }

    @Override
    public Set<Long> standardHandles() {
        return LinuxProcess.STANDARD_DESCRIPTORS;
    }

    /** Its first event: nothing it held before (inherited at fork, or open before --all began) is its leak. */
    @Override
    public Optional<Snapshot> launchSnapshot() {
        return Optional.of(new Snapshot("first event", process.firstSeen(), Snapshot.BEFORE_FIRST_EVENT, null));
    }

    @Override
    public boolean isAlive() {
        return new LinuxProcess(process.pid()).isAlive();
    }

    @Override
    public void close() {
        // perf belongs to the source this process was seen through
    }

    /**
     * The process's share of the stream: on while the stream is, synced with it. Trimmed as a target's is: a capture
     * forgets what it recorded of each process (before, a process's leaked opens piled up to its recorder's bound, and
     * then were counted lost).
     */
    private final class ProcessTracing implements HandleTracing, dev.jhtrace.spi.TraceTrimming {
        @Override
        public long discardThrough(long order) {
            return process.recorder().discardThrough(order);
        }

        @Override
        public boolean isEnabled() {
            return true; // recorded since its first event; the diff starts there
        }

        @Override
        public void enable(TraceOptions options) {
            // the stream it belongs to is on
        }

        @Override
        public void disable() {
            // the stream's owner stops perf
        }

        @Override
        public TraceLog log() {
            stream.syncStream();
            stream.resolveStacks(process.pid()); // its own stacks: the others' wait for their own logs
            return process.recorder().log();
        }

        @Override
        public long lastOrder() {
            stream.syncStream();
            return process.recorder().lastOrder();
        }

        @Override
        public List<TraceEvent> eventsAfter(long order) {
            return process.recorder().eventsAfter(order);
        }

        @Override
        public long eventCount() {
            return process.recorder().eventCount();
        }
    }
}
