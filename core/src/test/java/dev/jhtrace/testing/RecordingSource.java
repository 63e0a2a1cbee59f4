package dev.jhtrace.testing;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.LoadedModule;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.SymbolResolver;
import dev.jhtrace.spi.TraceOptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A target the test drives, recording the calls that change it ({@link #calls}: enable, disable, resolveAll,
 * close): its handles and trace are what the test opened and closed, its symbols a map the test fills, counted per {@link SymbolResolver#resolveAll} call.
 * Thread-safe enough for a script on another thread: the state is guarded by this object.
 */
public final class RecordingSource implements HandleSource, HandleTracing {
    /** Every call made, in order: {@code enable}, {@code disable}, {@code resolveAll 3}, {@code close} ... */
    public final List<String> calls = new CopyOnWriteArrayList<>();
    /** What the symbol resolver knows, by address; other addresses stay unresolved. */
    public final Map<Long, StackFrame> symbols = new TreeMap<>();
    /** The modules listed while alive (empty: none). */
    public final List<LoadedModule> modules = new ArrayList<>();
    private static final long LONG_AGO_NANOS = 1_000_000_000L; // 1970-01-01T00:00:01Z
    /** When the next opens happened, in epoch nanoseconds: long ago unless a test needs them recent. */
    public volatile long openEpochNanos = LONG_AGO_NANOS;
    /** How many times the whole log was copied ({@link #log()}), and how many times only the newer events ({@link #eventsAfter}). */
    public final java.util.concurrent.atomic.AtomicInteger logCopies = new java.util.concurrent.atomic.AtomicInteger(),
            newerReads = new java.util.concurrent.atomic.AtomicInteger();
    private final TreeMap<Long, HandleEntry> open = new TreeMap<>();
    private final List<TraceEvent> events = new ArrayList<>();
    private long order;
    private boolean enabled;
    private boolean alive = true;

    /**
     * Opens {@code handle} with a stack of raw addresses, on thread 7. Its event is dated {@link #openEpochNanos}, by
     * default long ago: a diff's settling (waiting for the opening thread's next call) is for opens of the last seconds.
     */
    public synchronized void open(long handle, long... addresses) {
        open.put(handle, HandleEntry.of(handle, "File", "/tmp/" + handle));
        List<StackFrame> frames = new ArrayList<>();
        for (long a : addresses) frames.add(StackFrame.unresolved(a));
        if (enabled) events.add(new TraceEvent(++order, EventKind.OPEN, handle, 7, 7, openEpochNanos, new StackTrace(frames)));
    }

    public synchronized void close(long handle) {
        close(handle, 7);
    }

    /** Closes {@code handle} on thread {@code tid}. */
    public synchronized void close(long handle, int tid) {
        open.remove(handle);
        if (enabled) events.add(new TraceEvent(++order, EventKind.CLOSE, handle, 7, tid, TraceEvent.NO_TIME, StackTrace.EMPTY));
    }

    /** Opens {@code handle} in the table only, as when the tracer has not reported the open yet ({@link #reportOpen}). */
    public synchronized void openUnreported(long handle) {
        open.put(handle, HandleEntry.of(handle, "File", "/tmp/" + handle));
    }

    /** The tracer reports the open of {@code handle} by thread {@code tid}, dated {@link #openEpochNanos}. */
    public synchronized void reportOpen(long handle, int tid, long... addresses) {
        List<StackFrame> frames = new ArrayList<>();
        for (long a : addresses) frames.add(StackFrame.unresolved(a));
        if (enabled) events.add(new TraceEvent(++order, EventKind.OPEN, handle, 7, tid, openEpochNanos, new StackTrace(frames)));
    }

    /** The target exits: its table is gone, its trace stays. */
    public synchronized void endTarget() {
        alive = false;
    }

    /** How many times the engine was asked to resolve a batch of addresses. */
    public long resolveAllCalls() {
        return calls.stream().filter(c -> c.startsWith("resolveAll")).count();
    }

    @Override public TargetInfo target() { return new TargetInfo(7, "recorded"); }
    @Override public String engineName() { return "recording"; }

    @Override
    public synchronized HandleTable handles() {
        if (!alive) throw new dev.jhtrace.spi.JhtraceException(dev.jhtrace.spi.Failure.TARGET_NOT_FOUND, "exited");
        return new HandleTable(7, Instant.now(), List.copyOf(open.values()));
    }

    @Override public Optional<HandleTracing> tracing() { return Optional.of(this); }

    @Override
    public SymbolResolver symbols() {
        return new SymbolResolver() {
            @Override
            public StackFrame resolve(StackFrame frame) {
                calls.add("resolve");
                synchronized (RecordingSource.this) {
                    return symbols.getOrDefault(frame.address(), frame);
                }
            }

            @Override
            public Map<Long, StackFrame> resolveAll(Collection<Long> addresses) {
                calls.add("resolveAll " + addresses.size());
                Map<Long, StackFrame> found = new TreeMap<>();
                synchronized (RecordingSource.this) {
                    for (Long a : addresses) if (symbols.containsKey(a)) found.put(a, symbols.get(a));
                }
                return found;
            }
        };
    }

    @Override
    public synchronized List<LoadedModule> loadedModules() {
        return List.copyOf(modules);
    }

    /** Makes {@link #disable()} fail, as an engine whose debugger is gone does. */
    public volatile boolean disableFails;
    /** Handles a thread of the recorded target is releasing now (what {@link #releasesInFlight} answers). */
    public final java.util.Set<Long> releasing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public java.util.Set<Long> releasesInFlight(java.util.Set<Long> handles) {
        java.util.Set<Long> in = new java.util.HashSet<>(handles);
        in.retainAll(releasing);
        return in;
    }

    @Override public synchronized boolean isAlive() { return alive; }
    @Override public void close() { calls.add("close"); }
    @Override public synchronized boolean isEnabled() { return enabled; }

    @Override
    public synchronized void enable(TraceOptions options) {
        calls.add("enable");
        enabled = true;
    }

    @Override
    public synchronized void disable() {
        calls.add("disable");
        if (disableFails) throw new dev.jhtrace.spi.JhtraceException(dev.jhtrace.spi.Failure.ENGINE_UNAVAILABLE, "the debugger is gone");
        enabled = false;
    }

    @Override
    public synchronized TraceLog log() {
        logCopies.incrementAndGet();
        return TraceLog.of(events);
    }

    @Override
    public synchronized List<TraceEvent> eventsAfter(long after) {
        newerReads.incrementAndGet();
        return List.copyOf(TraceLog.of(events).after(after));
    }

    @Override
    public synchronized long lastOrder() {
        return events.isEmpty() ? Snapshot.BEFORE_FIRST_EVENT : events.get(events.size() - 1).order();
    }
}
