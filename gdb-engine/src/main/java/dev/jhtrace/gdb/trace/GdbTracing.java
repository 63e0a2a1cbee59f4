package dev.jhtrace.gdb.trace;

import dev.jhtrace.gdb.mi.MiTuple;
import dev.jhtrace.gdb.mi.MiValue;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.recorder.EventRecorder;
import dev.jhtrace.recorder.PollLoop;
import dev.jhtrace.recorder.RawEvent;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceRetention;
import dev.jhtrace.spi.TraceTrimming;

import java.util.List;
import java.util.Optional;

/**
 * Descriptor tracing inside gdb. {@link #enable} installs one {@code catch syscall} catchpoint whose
 * condition is the helper's Python hook: at each successful descriptor-creating or -closing syscall it
 * records OPEN/CLOSE with thread id, time and the user stack into a bounded buffer inside gdb and lets
 * the thread run on, without an MI round trip. A daemon thread ({@link PollLoop}) drains that buffer every
 * {@value #DRAIN_INTERVAL_MILLIS} ms ({@code -jhtrace-drain}), so callers need
 * not poll; {@link #log()} drains once more before answering. The drained events are kept
 * by an {@link EventRecorder} (orders as gdb numbered them, so a gap shows where its buffer lost events).
 *
 * <p>Traced: open, openat, openat2, creat, socket, socketpair, accept, accept4, pipe, pipe2, dup,
 * dup2, dup3, fcntl(F_DUPFD, F_DUPFD_CLOEXEC), eventfd, eventfd2, epoll_create, epoll_create1,
 * timerfd_create, signalfd/signalfd4 (new descriptors only), inotify_init, inotify_init1,
 * fanotify_init, memfd_create, pidfd_open, userfaultfd, perf_event_open, io_uring_setup, descriptors
 * received with SCM_RIGHTS through recvmsg; CLOSE for close, close_range (not with
 * CLOSE_RANGE_CLOEXEC), dup2/dup3 over an open descriptor, and execve closing O_CLOEXEC descriptors.
 * Failed calls record nothing. All threads are traced, also those created later; children after fork
 * are not (gdb detaches them). Not traced: recvmmsg with SCM_RIGHTS, descriptors made by io_uring
 * operations, and descriptors installed by another process (pidfd_getfd) — the handle table still
 * shows them, as "stack lost".
 */
public final class GdbTracing implements HandleTracing, TraceTrimming {
    /** How often the in-gdb buffer is drained while tracing. */
    public static final long DRAIN_INTERVAL_MILLIS = 200;
    /** In-gdb buffer size when {@link TraceOptions#maxTraces()} is 0. */
    public static final int DEFAULT_CAPACITY = 1_000_000;
    private static final int DRAIN_BATCH = 20_000;

    private final GdbConnection gdb;
    private final EventRecorder recorder;
    private final Object lock = new Object();
    private final PollLoop poller;
    private volatile boolean enabled;
    private volatile long children;
    private volatile List<String> exitTable;

    /** Tracing kept under {@link TraceRetention#DEFAULT}. */
    public GdbTracing(GdbConnection gdb) {
        this(gdb, TraceRetention.DEFAULT);
    }

    /** Tracing whose recorder keeps at most {@code retention.maxRetainedEvents()} events drained from gdb. */
    public GdbTracing(GdbConnection gdb, TraceRetention retention) {
        this.gdb = gdb;
        this.recorder = new EventRecorder(retention);
        // drainQuietly never throws, and returns at once when gdb is gone
        this.poller = new PollLoop("jhtrace-gdb-drain-" + gdb.pid(), DRAIN_INTERVAL_MILLIS, this::drainQuietly, () -> gdb.mi().isAlive());
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    /** Installs the catchpoint (briefly stopping all threads) and starts draining. Already on: nothing changes. */
    @Override
    public synchronized void enable(TraceOptions options) {
        if (enabled) return;
        gdb.withAllStopped(() -> install(options));
        startDraining();
    }

    /** Like {@link #enable}, for a target gdb holds stopped (launch): installs without stopping and resuming. */
    public synchronized void enableStopped(TraceOptions options) {
        if (enabled) return;
        install(options);
        startDraining();
    }

    private MiTuple install(TraceOptions options) {
        int capacity = options.maxTraces() == 0 ? DEFAULT_CAPACITY : options.maxTraces();
        int beforeExit = options.exitTable() == dev.jhtrace.spi.ExitTable.BEFORE_EXIT ? 1 : 0;
        return gdb.mi().call("-jhtrace-enable " + options.stackDepth() + " " + capacity + " " + beforeExit, GdbConnection.COMMAND_TIMEOUT_MILLIS);
    }

    private void startDraining() {
        enabled = true;
        poller.start();
    }

    /** Removes the catchpoint; the events captured so far stay in {@link #log()}. */
    @Override
    public synchronized void disable() {
        if (!enabled) return;
        enabled = false;
        poller.stop();
        if (gdb.isAttached() && !gdb.targetExited()) {
            // no stop-and-resume here: gdb 13.1 in non-stop mode can abort resuming after an interrupt
            // (infrun.c resume_1: !tp->stop_requested). Deleting the catchpoint with threads running is
            // enough: each thread's next syscall stop finds none and gdb resumes it without syscall tracing.
            gdb.mi().call("-jhtrace-disable", GdbConnection.COMMAND_TIMEOUT_MILLIS);
        }
        drainQuietly();
    }

    /** Forgets the events up to {@code order} (a capture has recorded them), so a capture of days holds only recent events. */
    @Override
    public long discardThrough(long order) {
        return recorder.discardThrough(order);
    }

    @Override
    public TraceLog log() {
        drainQuietly();
        return recorder.log();
    }

    @Override
    public List<TraceEvent> eventsAfter(long order) {
        drainQuietly();
        return recorder.eventsAfter(order);
    }

    @Override
    public long lastOrder() {
        drainQuietly();
        return recorder.lastOrder();
    }

    @Override
    public long eventCount() {
        drainQuietly();
        return recorder.eventCount();
    }

    /** Events held in memory now. */
    public int retainedEvents() {
        return recorder.retainedEvents();
    }

    /**
     * The descriptors the process held when it called exit_group (or, with {@link dev.jhtrace.spi.ExitTable#BEFORE_EXIT},
     * when its runtime's exit made its first close), as "fd kind link" rows (kind: d, c, b, f
     * for a directory, device or file path, "-" otherwise); empty until it exits that way.
     */
    public Optional<List<String>> exitTable() {
        drainQuietly();
        return Optional.ofNullable(exitTable);
    }

    /** How many child processes the target created while traced: gdb does not follow them, so they ran untraced. */
    public long untracedChildren() {
        drainQuietly();
        return children;
    }

    /** Stops the drain thread (the gdb side goes away with the detach). */
    public synchronized void shutdown() {
        drainQuietly();
        enabled = false;
        poller.stop();
    }

    private void drainQuietly() {
        try {
            drain();
        } catch (JhtraceException e) {
            // gdb gone (target exited or detached): keep what was captured
        }
    }

    /** Pulls everything buffered in gdb. */
    private void drain() {
        synchronized (lock) {
            if (!gdb.mi().isAlive()) return;
            while (true) {
                MiTuple r = gdb.mi().call("-jhtrace-drain " + DRAIN_BATCH, GdbConnection.COMMAND_TIMEOUT_MILLIS);
                for (MiValue v : r.list("events")) {
                    RawEvent e = parse(v.asString());
                    if (e != null) recorder.add(e);
                }
                recorder.engineLost(Long.parseLong(r.string("lost", "0")));
                children = Long.parseLong(r.string("children", "0"));
                if (r.get("exitTable").isPresent()) exitTable = r.list("exitTable").stream().map(MiValue::asString).toList();
                if ("0".equals(r.string("remaining", "0"))) return;
            }
        }
    }

    /** One event: "order kind fd pid tid nanos inode pc,pc,..." (inode 0: not known). */
    private static RawEvent parse(String line) {
        String[] f = line.split(" ", 8);
        if (f.length < 7) return null;
        EventKind kind = f[1].equals("O") ? EventKind.OPEN : EventKind.CLOSE;
        long[] addrs = new long[0];
        if (f.length == 8 && !f[7].isEmpty()) {
            String[] pcs = f[7].split(",");
            addrs = new long[pcs.length];
            for (int i = 0; i < pcs.length; i++) {
                addrs[i] = Long.parseUnsignedLong(pcs[i], 16);
            }
        }
        return new RawEvent(Long.parseLong(f[0]), kind, Long.parseLong(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                Long.parseLong(f[5]), addrs, Long.parseLong(f[6]));
    }
}
