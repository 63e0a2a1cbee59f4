package dev.jhtrace.dbgeng.nt;

import dev.jhtrace.model.TraceLog;
import dev.jhtrace.recorder.EventRecorder;
import dev.jhtrace.recorder.PollLoop;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceRetention;
import dev.jhtrace.spi.TraceTrimming;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code !htrace} without the debugger extension: kernel handle tracing of one process through ntdll.
 * <ul>
 *   <li>An existing trace (WinDbg, Application Verifier, an earlier jhtrace) is adopted, never
 *   re-enabled, because enabling again swaps in an empty ring.</li>
 *   <li>Enabling makes the target RAISE STATUS_INVALID_HANDLE (0xC0000008) when it closes or uses
 *   an invalid handle, where it used to get an error code; a process that closes stale handles can
 *   crash. So {@link #enable} refuses unless the caller accepted that
 *   ({@code acceptInvalidHandleExceptions}, the CLI's {@code --accept-invalid-handle-exceptions}).</li>
 *   <li>The ring has no timestamps and wraps, so it is read repeatedly (on every {@link #log()}, and
 *   every {@code pollIntervalMillis} in the background when that is positive) and the reads are
 *   merged by {@link TraceMerger}. A read whose predecessor cannot be found again marks the log as
 *   wrapped with an unknown number of lost events ({@link TraceLog#lostEvents()} null; see {@link #gaps()}).</li>
 *   <li>Stacks keep user frames only (see {@link TraceEventDecoder}); events have no time.</li>
 *   <li>A read whose every entry has an empty stack is reported once as a warning: recent kernels
 *   (Windows 11 24H2, Server 2025) zero the stacks for a caller without an enabled SeDebugPrivilege.</li>
 *   <li>The events are kept by an {@link EventRecorder}, so memory is bounded as for every engine: a capture
 *   forgets what it recorded ({@link #discardThrough}), and the {@link TraceRetention} bounds the rest.</li>
 * </ul>
 * Thread-safe.
 */
public final class NtHandleTracing implements HandleTracing, TraceTrimming, AutoCloseable {
    /** What happens to the target's trace when jhtrace detaches. */
    public enum OnClose {
        /** Leave tracing on (the default, as a detaching debugger does): the trace keeps growing and can be adopted later. */
        LEAVE_ON,
        /** Turn tracing off when jhtrace enabled it (an adopted trace is always left on). */
        DISABLE_IF_OURS
    }

    private final KernelTraceRing ring;
    private final NtLayout layout;
    private final boolean acceptInvalidHandleExceptions;
    private final BooleanSupplier targetAlive;
    private final OnClose onClose;
    private final Consumer<String> warnings;
    private final int targetPid; // 0: unknown, every entry taken as the target's own
    private final java.util.Set<Integer> duplicatingPids = new java.util.TreeSet<>();
    private final TraceMerger merger = new TraceMerger();
    private final EventRecorder recorder;
    private boolean emptyStacksWarned;
    private int stackDepth = TraceOptions.DEFAULT.stackDepth();
    private TraceEventDecoder decoder;
    private boolean enabledByUs;
    private boolean closed;
    private int capacity; // ring slots when jhtrace enabled it, else 0 (unknown)
    private final PollLoop poller; // null when pollIntervalMillis is 0

    /**
     * @param ring                          the target's handle-trace ring in the kernel
     * @param layout                        structure layout (decides kernel addresses)
     * @param acceptInvalidHandleExceptions the user accepted that enabling changes the target's behaviour
     * @param pollIntervalMillis            background read interval once tracing is on; 0 reads only on {@link #log()}
     * @param targetAlive                   whether the target still runs (a failed read of an exited target returns what was read)
     * @param onClose                       what {@link #close()} does to the trace
     */
    public NtHandleTracing(KernelTraceRing ring, NtLayout layout, boolean acceptInvalidHandleExceptions,
                           long pollIntervalMillis, BooleanSupplier targetAlive, OnClose onClose) {
        this(ring, layout, acceptInvalidHandleExceptions, pollIntervalMillis, targetAlive, onClose, w -> { }, 0, TraceRetention.DEFAULT);
    }

    /**
     * As above, with a sink for one-line warnings (every stack of a read empty, handles duplicated in), and
     * the target's pid: an entry whose ClientId names another process is a handle that process duplicated
     * into the target, and its stack is in that process's address space.
     */
    public NtHandleTracing(KernelTraceRing ring, NtLayout layout, boolean acceptInvalidHandleExceptions,
                           long pollIntervalMillis, BooleanSupplier targetAlive, OnClose onClose, Consumer<String> warnings, int targetPid) {
        this(ring, layout, acceptInvalidHandleExceptions, pollIntervalMillis, targetAlive, onClose, warnings, targetPid, TraceRetention.DEFAULT);
    }

    /** As above; {@code retention} bounds the events kept in memory. */
    public NtHandleTracing(KernelTraceRing ring, NtLayout layout, boolean acceptInvalidHandleExceptions, long pollIntervalMillis,
                           BooleanSupplier targetAlive, OnClose onClose, Consumer<String> warnings, int targetPid, TraceRetention retention) {
        if (pollIntervalMillis < 0) throw new JhtraceException(Failure.BAD_INPUT, "poll interval must not be negative");
        this.ring = ring;
        this.layout = layout;
        this.acceptInvalidHandleExceptions = acceptInvalidHandleExceptions;
        this.targetAlive = targetAlive;
        this.onClose = onClose;
        this.warnings = warnings;
        this.targetPid = targetPid;
        this.recorder = new EventRecorder(retention);
        this.poller = pollIntervalMillis == 0 ? null : new PollLoop("jhtrace-htrace-poller", pollIntervalMillis, this::backgroundPoll, targetAlive);
        this.decoder = new TraceEventDecoder(layout, stackDepth);
    }

    /** The warning for a read whose every stack is empty; the engine adds the cause and the fix. */
    public static final String EMPTY_STACKS_WARNING = "every stack in the handle trace came back empty, so no leaking frame can be named";

    /** The one-line warning shown before tracing is enabled. */
    public static final String INVALID_HANDLE_WARNING = "enabling handle tracing makes the target raise STATUS_INVALID_HANDLE (0xC0000008) "
            + "exceptions when it closes or uses an invalid handle, which can crash it; accept this with --accept-invalid-handle-exceptions";

    @Override
    public synchronized boolean isEnabled() {
        return ring.isEnabled();
    }

    /** Enables tracing with a ring of {@code options.maxTraces()} slots, or adopts the trace already on. */
    @Override
    public synchronized void enable(TraceOptions options) {
        int slots = KernelTraceRing.checkSlots(options.maxTraces());
        stackDepth = options.stackDepth();
        decoder = new TraceEventDecoder(layout, stackDepth);
        if (!ring.isEnabled()) {
            if (!acceptInvalidHandleExceptions) throw new JhtraceException(Failure.BAD_INPUT, INVALID_HANDLE_WARNING);
            ring.enable(slots);
            enabledByUs = true;
            capacity = slots == 0 ? KernelTraceRing.DEFAULT_SLOTS : slots;
        }
        poll();
        startPoller();
    }

    /** True when jhtrace turned tracing on (false for an adopted trace). */
    public synchronized boolean enabledByUs() {
        return enabledByUs;
    }

    @Override
    public synchronized void disable() {
        pollQuietly();
        stopPoller();
        ring.disable();
        enabledByUs = false;
    }

    /**
     * Reads the ring now and returns the merged history kept in memory: everything since tracing began,
     * less what {@link #discardThrough} forgot and what the retention bound dropped (counted as lost).
     */
    @Override
    public synchronized TraceLog log() {
        refresh();
        return recorder.log();
    }

    @Override
    public synchronized long lastOrder() {
        refresh();
        return recorder.lastOrder();
    }

    /** Every event captured since tracing began, also those since forgotten or dropped. */
    @Override
    public synchronized long eventCount() {
        refresh();
        return recorder.eventCount();
    }

    /** Forgets the events up to {@code order} (a capture has recorded them), so that a capture of days holds only recent events. */
    @Override
    public synchronized long discardThrough(long order) {
        return recorder.discardThrough(order);
    }

    /** Events held in memory now (what the next {@link #log()} copies). */
    public synchronized int retainedEvents() {
        return recorder.retainedEvents();
    }

    /** Reads what is new, reporting a failure of the background read once. */
    private void refresh() {
        if (poller != null) poller.throwFailure();
        if (pollQuietly()) startPoller(); // also follows a trace adopted without enable()
    }

    /** Reads whose predecessor was overwritten before it could be read again (each hides an unknown number of events). */
    public synchronized long gaps() {
        return merger.gaps();
    }

    /** Reads the ring once and appends what is new; false when tracing is off. */
    private boolean poll() {
        Optional<List<RawTraceEntry>> read = ring.read();
        if (read.isEmpty()) return false; // tracing is off (disabled by someone else): keep what we have
        List<RawTraceEntry> newestFirst = read.get();
        boolean first = recorder.isEmpty() && merger.gaps() == 0;
        TraceMerger.Merge merge = merger.merge(newestFirst);
        if (merge.gap()) recorder.unknownLoss(); // the log now says a wrap hid events, even if nothing new was kept
        if (first && capacity > 0 && newestFirst.size() >= capacity) recorder.unknownLoss(); // the ring filled before the first read
        int added = 0, emptyStacks = 0;
        boolean newDuplicator = false;
        for (RawTraceEntry e : merge.added()) {
            if (!TraceEventDecoder.isKnownType(e.type())) continue;
            if (targetPid != 0 && e.pid() != targetPid) {
                // duplicated in by another process: its return addresses mean nothing in the target's modules,
                // so the event keeps no stack rather than be symbolized against the wrong process (!htrace's remarks)
                recorder.add(decoder.event(new RawTraceEntry(e.handle(), e.pid(), e.tid(), e.type(), new long[0])));
                newDuplicator |= duplicatingPids.add(e.pid());
                added++;
                continue;
            }
            recorder.add(decoder.event(e));
            added++;
            if (e.depth() == 0) emptyStacks++;
        }
        if (newDuplicator) {
            warnings.accept("handles were duplicated into process " + targetPid + " by process(es) " + duplicatingPids
                    + ": their stacks belong to those processes, so they are listed without a stack");
        }
        if (added > 0 && emptyStacks == added && !emptyStacksWarned) {
            emptyStacksWarned = true;
            warnings.accept(EMPTY_STACKS_WARNING + " (" + added + " entries read)");
        }
        return true;
    }

    /** A poll whose failure after the target exited is not an error (the ring went with the process). */
    private boolean pollQuietly() {
        try {
            return poll();
        } catch (JhtraceException e) {
            if (targetAlive.getAsBoolean()) throw e;
            return false;
        }
    }

    private void startPoller() {
        if (poller != null && !closed) poller.start();
    }

    /** One background read; a failure is the loop's to report (by the next {@link #log()}). */
    private synchronized void backgroundPoll() {
        if (!closed) poll();
    }

    private void stopPoller() {
        if (poller != null) poller.stop();
    }

    /** Stops background reads and, with {@link OnClose#DISABLE_IF_OURS}, turns off a trace jhtrace enabled. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopPoller();
        if (onClose == OnClose.DISABLE_IF_OURS && enabledByUs && targetAlive.getAsBoolean()) {
            try {
                ring.disable();
            } catch (JhtraceException ignored) {
                // the target may be exiting; its trace goes with it
            }
        }
    }
}
