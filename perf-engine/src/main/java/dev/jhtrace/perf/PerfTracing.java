package dev.jhtrace.perf;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.proc.ProcFdReader;
import dev.jhtrace.recorder.EventRecorder;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceRetention;
import dev.jhtrace.spi.TraceTrimming;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Descriptor tracing through {@code perf record}, streamed: perf records the syscall tracepoints of {@link Tracepoints}
 * with DWARF user stacks on creation events and writes its pipe format, which a reader thread decodes in Java while
 * perf runs ({@link PipeReader}: fields from the tracepoints' tracefs formats, no perf.data file, no text). Stacks are
 * not unwound then: each open descriptor's raw sample is kept ({@link StackSamples}) and only those a log can report
 * are unwound, by {@code perf script} on a rebuilt stream, when a log is asked for (or in the background once many
 * are held). Nothing stops the target and nothing is injected; perf dies with the JVM (parent-death signal, see
 * {@link Spawner}), and killing it leaves the target as it was.
 *
 * <p>Order and sync: events are ordered by their kernel time stamp (CLOCK_MONOTONIC, the clock of
 * {@link System#nanoTime()}). The decoder, as perf script does, holds back the newest round of events until the next one arrives,
 * so when attached, jhtrace also records a helper process of its own ({@code sh} reading lines) and, to catch up,
 * makes it open {@code /dev/null} until one of its events newer than the moment of asking has come through: then every
 * target event before that moment has been decoded. A launched command is traced the same way: it waits at a gate
 * ({@link LaunchGate}) until perf records it, so it is attached to like any process; the children it forks are traced
 * until they exit, after it too ({@link #endWithLaunch()}).
 */
public final class PerfTracing implements HandleTracing, TraceTrimming {
    /** Bytes of user stack copied per creation event for DWARF unwinding (perf's {@code --call-graph dwarf,N}). */
    public static final int STACK_BYTES = 2048;
    /**
     * perf's stream read ahead of the decoder at most (see {@link StreamBuffer}): a burst of 40,000 open+close events
     * with 2 KiB stacks is 49 MB, which a decoder not yet compiled by the JIT takes about 0.4 s to decode.
     */
    static final long MAX_STREAM_BUFFER_BYTES = 256L << 20;
    private static final long SYNC_TIMEOUT_NANOS = 3_000_000_000L;
    /**
     * The sync helper: one {@code close(9)} per line read, failing (nothing open there). A close is recorded at its
     * entry without a stack, so a marker costs perf one small sample. (It was an open of /dev/null: eight events per
     * line, four with DWARF stacks.)
     */
    static final String HELPER_SCRIPT = "while read l; do : 9>&-; done";
    /** Asks the helper for a marker at most this often while a sync waits: one line per wait, not per event seen. */
    private static final long MARKER_INTERVAL_NANOS = 20_000_000L;
    private static final long START_TIMEOUT_NANOS = 30_000_000_000L;
    /** How long the stream may take to end once perf record was asked to (still decoding what it read). */
    private static final long END_OF_STREAM_TIMEOUT_NANOS = 60_000_000_000L;
    /** {@link #resolveStacks(int)}'s any process. */
    static final int ALL_PROCESSES = -1;
    /** The target's id when every process is traced ({@code --all}): no process is the target. */
    static final int SYSTEM_WIDE = -1;
    /**
     * Processes other than the target kept at most (children, or every process with --all), each in a recorder of
     * 1/64 of the target's retention: together at most four times the target's. A new one beyond that replaces the
     * oldest that has exited, or is counted as untraced.
     */
    static final int MAX_PROCESSES = 256;
    private static final int MAX_PENDING_NAMES = 4096;

    private final PerfInstallation installation;
    private final Object lock = new Object();
    private final TracedProcess target; // the target's events (bounded, perf's losses counted) and replayed table
    private final Deque<String> perfErrors = new ArrayDeque<>();
    private final TraceRetention processRetention;
    private final Map<Integer, TracedProcess> processes = new java.util.LinkedHashMap<>(); // guarded by lock, oldest first
    // a forked or exec'd process's name, seen before its first descriptor event (bounded: most never make one)
    private final Map<Integer, String> pendingNames = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
            return size() > MAX_PENDING_NAMES;
        }
    };
    private final java.util.Set<Integer> ownPids = new java.util.HashSet<>(); // jhtrace's JVM and perf's processes (--all)
    private long untracedProcesses; // guarded by lock
    private int notOwnPid = Integer.MIN_VALUE; // the reader's: the last process seen not to be jhtrace's own
    private int lastProcessPid; // guarded by lock: the last process looked up, and its trace
    private TracedProcess lastProcess;
    private final int targetPid;
    private final PerfDecoder.Options decoding;
    private volatile PerfDecoder decoder;
    private long lost; // perf's own: LOST records and its closing percentage
    private long lastMarkerNanos = Long.MIN_VALUE;
    private long nextMarkerRequestNanos = Long.MIN_VALUE; // a sync asks the helper again from then on
    private long markerEvents; // the helper's samples seen
    private long markerStacks; // ... of which with a call graph (none expected: see HELPER_SCRIPT)
    private int helperPid = -1;
    private volatile boolean enabled;
    private volatile boolean streamEnded;
    private boolean framePointerStacks; // stacks by the kernel's frame-pointer walk, not DWARF (a Go program: ElfFile.isGo)
    private FrameWalks walks = FrameWalks.ALL; // the frames found in the stack copies where perf's unwinder stops
    private boolean widePipe = true; // perf record's pipe widened (PipeCapacity)
    private volatile boolean endsWithLaunch; // a launch: perf ends once the command and its descendants have
    private volatile boolean endsWithCommandAlone; // perf's workload mode instead (tests: the control)
    private final Descendants descendants = new Descendants(); // what the traced processes forked
    private Process record;
    private Process helper;
    private Path controlDir; // holds perf record's control FIFO
    private java.io.RandomAccessFile control; // perf record's --control FIFO: "ping" makes it read its rings now
    private java.util.concurrent.ScheduledExecutorService pinger;
    private java.util.concurrent.ScheduledExecutorService namer; // names the target's new descriptors from /proc
    private OutputStream helperIn;
    private Thread reader;
    private volatile StreamBuffer streamBuffer;
    private volatile StackSamples stacks; // raw samples of open descriptors, unwound when a log needs them
    private final LongMap<Open> openStacks = new LongMap<>(); // (pid, fd) -> its creation's raw stack; guarded by lock
    private long lostSamples; // PERF_RECORD_LOST_SAMPLES, perf record's count at its end
    private java.util.concurrent.ExecutorService unwinder; // unwinds in the background when raw samples pile up
    private boolean unwindQueued; // guarded by lock

    /** Tracing of {@code targetPid}, kept under {@link TraceRetention#DEFAULT}. */
    PerfTracing(PerfInstallation installation, int targetPid) {
        this(installation, targetPid, TraceRetention.DEFAULT);
    }

    /** Tracing of {@code targetPid} whose recorder keeps what {@code retention} allows. */
    PerfTracing(PerfInstallation installation, int targetPid, TraceRetention retention) {
        this(installation, targetPid, retention, PerfDecoder.Options.ALL);
    }

    /** As {@link #PerfTracing(PerfInstallation, int, TraceRetention)}, working out what {@code decoding} says. */
    PerfTracing(PerfInstallation installation, int targetPid, TraceRetention retention, PerfDecoder.Options decoding) {
        this.decoding = decoding;
        this.installation = installation;
        this.targetPid = targetPid;
        this.target = new TracedProcess(targetPid, null, java.time.Instant.now(), retention);
        this.processRetention = new TraceRetention(Math.max(1_000, retention.maxRetainedEvents() / 64));
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    /** Starts perf on the attached target and returns once its events are live. Already on: nothing changes. */
    @Override
    public synchronized void enable(TraceOptions options) {
        if (enabled) return;
        try {
            helper = Spawner.start(new ProcessBuilder("/bin/sh", "-c", HELPER_SCRIPT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD));
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot start perf's sync helper: " + e.getMessage(), e);
        }
        helperIn = helper.getOutputStream();
        helperPid = (int) helper.pid();
        if (targetPid != SYSTEM_WIDE) seedTarget();
        start(options, targetPid == SYSTEM_WIDE ? List.of("-a") : List.of("-p", targetPid + "," + helperPid));
        // events are live once perf has recorded one of the helper's: until then the target is not yet traced
        if (!sync(START_TIMEOUT_NANOS)) {
            shutdown();
            throw new JhtraceException(Failure.OTHER, "perf did not start recording" + perfError());
        }
        listTarget(); // what it opened before perf recorded it: its replay is exact from this listing on
    }

    private void start(TraceOptions options, List<String> target) {
        List<String> rec = new ArrayList<>(List.of(installation.setpriv(), "--pdeathsig", "KILL", "--", installation.perf(), "record",
                "-q", "-k", "CLOCK_MONOTONIC", "-o", "-"));
        // the user registers either way: the calls' flags are read from them (close-on-exec, a pipe's numbers' rule)
        if (framePointerStacks) rec.addAll(List.of("--call-graph", "fp", "--user-regs"));
        else rec.addAll(List.of("--call-graph", "dwarf," + STACK_BYTES));
        // Not --no-buffering: a wake-up of perf record per event was most of the cost the target paid (the bare pipe
        // ran an open/close loop 3 to 5 times slower with it). perf record now wakes when its ring is half full, and
        // a "ping" on its control FIFO every PING_MILLIS makes it read what is there, so events still arrive promptly.
        Path fifo = controlFifo();
        rec.add("--control=fifo:" + fifo);
        // perf's ring per CPU: TraceOptions.maxTraces pages if given; when root, large enough for the JVM's pauses
        // (RingSize); otherwise perf's own default, which perf_event_mlock_kb allows
        int pages = options.maxTraces() > 0 ? Integer.highestOneBit(options.maxTraces()) : PerfInstallation.isRoot() ? RingSize.pagesForThisMachine() : 0;
        if (pages > 0) rec.addAll(List.of("-m", Integer.toString(pages)));
        rec.addAll(Tracepoints.recordArguments(installation.syscallTracepoints()));
        rec.addAll(target);
        ProcessBuilder recordPb = new ProcessBuilder(rec);
        Map<Long, TracepointFormat> formats = formats(rec);
        try {
            record = Spawner.start(recordPb);
        } catch (IOException e) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot start perf: " + e.getMessage(), e);
        }
        if (widePipe) PipeCapacity.widen(record.pid(), 1); // its stdout: the stream's pipe to the reader below
        drain(record.getErrorStream(), "jhtrace-perf-record-err");
        PipeReader.Listener parser = parser(options);
        synchronized (lock) {
            ownPids.addAll(List.of((int) ProcessHandle.current().pid(), (int) record.pid()));
        }
        enabled = true;
        reader = new Thread(() -> read(parser, formats), "jhtrace-perf-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            control = new java.io.RandomAccessFile(fifo.toFile(), "rw"); // read-write: opening a FIFO so never blocks
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot open perf's control FIFO: " + e.getMessage(), e);
        }
        pinger = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jhtrace-perf-ping");
            t.setDaemon(true);
            return t;
        });
        pinger.scheduleWithFixedDelay(this::ping, PING_MILLIS, PING_MILLIS, TimeUnit.MILLISECONDS);
        if (targetPid != SYSTEM_WIDE) {
            // its own thread: a naming round waits for a sync, which needs the pings
            namer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jhtrace-perf-names");
                t.setDaemon(true);
                return t;
            });
            namer.scheduleWithFixedDelay(this::nameTargetDescriptors, NAMING_MILLIS, NAMING_MILLIS, TimeUnit.MILLISECONDS);
        }
        unwinder = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jhtrace-perf-unwind");
            t.setDaemon(true);
            return t;
        });
    }

    private static final long PING_MILLIS = 20;
    /** How often the target's new descriptors are named from /proc while it runs (for its table after it exits). */
    private static final long NAMING_MILLIS = 250;

    /** Asks perf record to read its rings now. */
    private void ping() {
        try {
            control.write("ping\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // perf gone: the stream ends on its own
        }
    }

    /** A new FIFO for perf record's --control, in a directory of its own. */
    private Path controlFifo() {
        try {
            controlDir = Files.createTempDirectory("jhtrace-perf-");
            return Fifo.make(controlDir.resolve("control"));
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot make perf's control FIFO: " + e.getMessage(), e);
        }
    }

    /** The layouts of the tracepoints {@code perf record}'s arguments name, by tracepoint id, from tracefs. */
    private static Map<Long, TracepointFormat> formats(List<String> recordArguments) {
        Path tracefs = PerfInstallation.tracefs();
        Map<Long, TracepointFormat> formats = new HashMap<>();
        for (int i = 0; i + 1 < recordArguments.size(); i++) {
            if (!recordArguments.get(i).equals("-e")) continue;
            String event = recordArguments.get(i + 1);
            int slash = event.indexOf('/');
            if (slash >= 0) event = event.substring(0, slash);
            int colon = event.indexOf(':');
            if (tracefs == null || colon < 0) continue;
            try {
                TracepointFormat f = TracepointFormat.read(tracefs, event.substring(0, colon), event.substring(colon + 1));
                formats.put(f.id(), f);
            } catch (IOException | RuntimeException e) {
                throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot read the format of tracepoint " + event + ": " + e.getMessage(), e);
            }
        }
        return formats;
    }

    /**
     * The listener of perf's pipe stream feeding this tracing: samples sorted into kernel order round by round (as perf
     * script's ordered events do), decoded, and handed to the recorder; raw stacks and side-band kept for unwinding.
     */
    private PipeReader.Listener parser(TraceOptions options) {
        long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        PerfDecoder decoder = new PerfDecoder(this::startingTable, epochOffset, new PerfDecoder.Sink() {
            @Override
            public void accept(TraceEvent event, String type, RawStack stack) {
                add(event.kind(), event.order(), event.handle(), event.pid(), event.tid(), event.epochNanos(), type, stack, event.inferred());
            }

            @Override
            public void accept(EventKind kind, long monoNanos, long fd, int pid, int tid, long epochNanos, String type, RawStack stack, boolean inferred) {
                add(kind, monoNanos, fd, pid, tid, epochNanos, type, stack, inferred); // no event object: the recorder keeps the fields
            }

            @Override
            public boolean hold(RawStack stack) {
                StackSamples samples = stacks;
                return samples != null && samples.hold(stack);
            }

            @Override
            public void release(RawStack stack) {
                StackSamples samples = stacks;
                if (samples != null) samples.release(stack);
            }
        }, decoding);
        this.decoder = decoder;
        StackSamples samples = new StackSamples(installation, options.stackDepth());
        samples.walking(walks);
        stacks = samples;
        RoundSorter sorter = new RoundSorter(s -> accept(s, decoder));
        return new PipeReader.Listener() {
            @Override
            public void header(long sequence, byte[] record) {
                // which user registers each tracepoint's samples carry: the flags of the calls that make descriptors
                if (Le.u32(record, 0) == PipeReader.HEADER_ATTR) decoder.userRegisters(UserRegisters.tracepointOf(record), UserRegisters.maskOf(record));
                samples.header(sequence, record);
            }

            @Override
            public void sideBand(long sequence, byte[] record, int type, int pid, boolean processExit) {
                samples.sideBand(sequence, record, type, pid, processExit);
            }

            @Override
            public void sample(long sequence, TraceSample sample) {
                sorter.add(sample);
            }

            @Override
            public void lost(long count) {
                decoder.lost();
                synchronized (lock) {
                    lost += count;
                    target.recorder().engineLost(Math.max(lost, lostSamples));
                }
            }

            @Override
            public void lostSamples(long count) {
                if (count > 0) decoder.lost();
                synchronized (lock) {
                    lostSamples += count;
                    target.recorder().engineLost(Math.max(lost, lostSamples));
                }
            }

            @Override
            public void round() {
                sorter.round();
            }

            @Override
            public boolean reusesBytes() {
                return true; // the sorter hands out every sample received before a round mark at the next one
            }

            @Override
            public void detach(List<RawStack> held) {
                samples.detach(held);
            }

            @Override
            public void end() {
                sorter.flush();
            }
        };
    }

    /** Decodes a perf pipe stream from {@code in} to its end, as the reader thread does (tests: a simulated flood). */
    void decode(InputStream in, TraceOptions options, Map<Long, TracepointFormat> formats) throws IOException {
        PipeReader.Listener listener = parser(options);
        new PipeReader(in, formats, listener).run();
        listener.end();
        synchronized (lock) {
            streamEnded = true; // as the reader thread marks it
            lock.notifyAll();
        }
    }

    private void accept(TraceSample s, PerfDecoder decoder) {
        if (s.pid() == helperPid) {
            decoder.passed(s.monoNanos()); // a sync's marker: /proc listings read before it are applied now
            synchronized (lock) {
                markerEvents++;
                if (s.stack() != null) markerStacks++;
                lastMarkerNanos = Math.max(lastMarkerNanos, s.monoNanos());
                lock.notifyAll();
            }
            return;
        }
        boolean fork = s.event().equals("sched_process_fork");
        if (fork) ownChild(s);
        if (s.pid() != notOwnPid) {
            synchronized (lock) {
                if (ownPids.contains(s.pid())) return; // --all: jhtrace's own reads
            }
            notOwnPid = s.pid(); // the reader's: the next sample of the same process is not looked up again
        }
        if (fork) {
            noteName((int) s.number("child_pid"), s.text("child_comm"), false);
            if (targetPid != SYSTEM_WIDE) descendants.forked((int) s.number("child_pid"));
        }
        else if (s.event().equals("sched_process_exec")) noteName((int) s.number("pid"), s.text("filename"), true);
        decoder.accept(s);
    }

    /** A process (or thread) jhtrace's JVM or perf starts is jhtrace's too (addr2line for source lines, the sync helper). */
    private void ownChild(TraceSample fork) {
        long child = fork.number("child_pid");
        synchronized (lock) {
            if (child > 0 && ownPids.contains(fork.pid()) && ownPids.size() < MAX_PENDING_NAMES) {
                ownPids.add((int) child);
                if (child == notOwnPid) notOwnPid = Integer.MIN_VALUE;
            }
        }
    }

    /** A process's name from a fork (the child's) or an {@code exec} (the file's name), for when it shows up. */
    private void noteName(int pid, String name, boolean exec) {
        if (pid <= 0) return;
        if (name != null) {
            int slash = name.lastIndexOf('/');
            if (slash >= 0) name = name.substring(slash + 1);
        }
        synchronized (lock) {
            TracedProcess p = pid == targetPid ? target : processes.get(pid);
            if (p != null && exec) p.exec(name);
            else if (p != null) p.name(name);
            else if (name != null) pendingNames.put(pid, name);
        }
    }

    /** The file the target's last exec ran (its name once it has exited, when /proc no longer tells), or null. */
    String targetExecName() {
        return target.execName();
    }

    private void add(EventKind kind, long monoNanos, long fd, int pid, int tid, long epochNanos, String type, RawStack stack, boolean inferred) {
        synchronized (lock) {
            // each process its own trace and table: a child's (or, with --all, any process's) are not the target's
            TracedProcess p = process(pid);
            if (p == null) return;
            long order = p.add(kind, monoNanos, fd, pid, tid, epochNanos, type, inferred);
            keepStack(kind, fd, pid, order, p.recorder(), stack);
        }
    }

    /** An open's raw stack is kept while its descriptor is open; a close lets it go. Under lock. */
    private void keepStack(EventKind kind, long fd, int pid, long order, EventRecorder to, RawStack stack) {
        StackSamples samples = stacks;
        if (fd >= Integer.MAX_VALUE) return;
        long key = ((long) pid << 32) | fd;
        Open before = openStacks.isEmpty() ? null : openStacks.remove(key);
        if (before != null && before.stack() != null) samples.release(before.stack());
        if (kind != EventKind.OPEN || stack == null) return;
        if (!samples.hold(stack)) return;
        openStacks.put(key, before != null ? before.set(to, order, stack) : new Open(to, order, stack)); // reused: no object per event
        if (stack.resolved != null) to.restack(Map.of(order, stack.resolved)); // the pipe's second descriptor, unwound already
        if (!unwindQueued && unwinder != null && samples.unwindDue()) {
            unwindQueued = true;
            unwinder.execute(this::resolveStacks);
        }
    }

    /** A process no longer kept: the raw stacks of what it held go too. Under lock. */
    private void forgetStacks(int pid) {
        StackSamples samples = stacks;
        openStacks.removeIf(key -> (int) (key >>> 32) == pid, o -> {
            if (samples != null && o.stack() != null) samples.release(o.stack());
        });
    }

    /**
     * Unwinds the raw stacks of every descriptor still open (those a diff can report) with one perf script, and puts
     * the stacks into the recorders' events. Closed descriptors' stacks were never unwound: nothing reports them.
     */
    void resolveStacks() {
        resolveStacks(ALL_PROCESSES);
    }

    /**
     * As {@link #resolveStacks()}, when process {@code pid} holds raw samples ({@link #ALL_PROCESSES}: any process): a
     * process of many ({@code capture --all}, a child) that opened nothing new runs no perf script.
     */
    void resolveStacks(int pid) {
        StackSamples samples = stacks;
        if (samples == null) return;
        if (pid == ALL_PROCESSES) {
            synchronized (lock) {
                unwindQueued = false;
            }
        }
        if (pid == ALL_PROCESSES ? samples.heldSamples() == 0 : samples.heldSamples(pid) == 0) return;
        samples.unwindHeld(); // everyone's at once: one perf script, where the next processes' logs would each start their own
        synchronized (lock) {
            Map<EventRecorder, Map<Long, dev.jhtrace.model.StackTrace>> byRecorder = new java.util.IdentityHashMap<>();
            openStacks.forEachValue(o -> {
                if (o.applied || o.stack().resolved == null) return;
                o.applied = true;
                if (!o.stack().resolved.isEmpty()) byRecorder.computeIfAbsent(o.recorder(), r -> new HashMap<>()).put(o.order(), o.stack().resolved);
            });
            byRecorder.forEach(EventRecorder::restack);
        }
    }

    /** The capacity of the pipe perf record writes its stream into, or -1 (for tests). */
    int streamPipeBytes() {
        Process p = record;
        return p == null ? -1 : PipeCapacity.of(p.pid(), 1);
    }

    /** The most bytes of perf's stream read ahead of the decoder at once (for the benchmark). */
    long streamPeakBytes() {
        StreamBuffer b = streamBuffer;
        return b == null ? 0 : b.peakBytes();
    }

    /** Raw samples held for unwinding now, and their bytes (for tests and the benchmark). */
    long[] heldStacks() {
        StackSamples samples = stacks;
        return samples == null ? new long[2] : new long[] {samples.heldSamples(), samples.heldBytes()};
    }

    /**
     * The process's own trace: the target's, or one made at the process's first event; null when {@link #MAX_PROCESSES}
     * are kept and none has exited. Under lock.
     */
    private TracedProcess process(int pid) {
        if (pid == targetPid) return target;
        if (pid == lastProcessPid && lastProcess != null) return lastProcess;
        TracedProcess p = processes.get(pid);
        if (p != null) {
            lastProcessPid = pid;
            lastProcess = p;
            return p;
        }
        if (processes.size() >= MAX_PROCESSES) {
            Integer gone = processes.keySet().stream().filter(q -> !new dev.jhtrace.proc.LinuxProcess(q).isAlive()).findFirst().orElse(null);
            if (gone == null) {
                untracedProcesses++;
                return null;
            }
            processes.remove(gone);
            if (lastProcess != null && lastProcessPid == gone) lastProcess = null;
            forgetStacks(gone);
        }
        String name = pendingNames.remove(pid);
        if (name == null) name = new dev.jhtrace.proc.LinuxProcess(pid).name();
        p = new TracedProcess(pid, name, java.time.Instant.now(), processRetention);
        processes.put(pid, p);
        return p;
    }

    /**
     * The processes seen besides the target, oldest first: its children (attach and launch follow them), or every
     * process with --all. Each is a source of its own, synced with this stream.
     */
    List<dev.jhtrace.spi.HandleSource> processSources() {
        return processSources(false);
    }

    /**
     * The processes seen besides the target; with {@code holdingOpened} only those still holding something they opened
     * while traced (the rest have nothing outstanding: --all leaves the machine's many quiet processes out of the diff).
     */
    List<dev.jhtrace.spi.HandleSource> processSources(boolean holdingOpened) {
        syncStream();
        synchronized (lock) {
            List<dev.jhtrace.spi.HandleSource> sources = new ArrayList<>();
            for (TracedProcess p : processes.values()) if (!holdingOpened || p.holdsOpened()) sources.add(new PerfProcessSource(p, this));
            return sources;
        }
    }

    /** Processes not kept because {@link #MAX_PROCESSES} were (their events are in no report). */
    long untracedProcesses() {
        synchronized (lock) {
            return untracedProcesses;
        }
    }

    /** Waits until every event recorded before now has been decoded (see {@link #lastOrder()}). */
    void syncStream() {
        if (enabled) sync(SYNC_TIMEOUT_NANOS);
    }

    /**
     * The descriptors open in a process when the decoder first sees it: the target's as read when tracing began, another
     * process's (not a fork jhtrace saw) its /proc table now, the best there is.
     */
    private ReplayedTable startingTable(int pid) {
        ReplayedTable seed = pid == targetPid ? target.seededTable() : null;
        return seed != null ? seed : procTable(pid);
    }

    /** Whether /proc's open flags (fdinfo's {@code flags}, as {@link HandleEntry#grantedAccess()}) say close-on-exec. */
    private static boolean closeOnExec(HandleEntry entry) {
        return entry.grantedAccess() != null && (entry.grantedAccess() & O_CLOEXEC) != 0;
    }

    private static final long O_CLOEXEC = 02000000;

    /** recvmsg messages whose control data lay outside their sample's stack copy (any descriptors they carried untraced). */
    long unreadReceives() {
        PerfDecoder d = decoder;
        if (d == null) return 0;
        syncStream();
        return d.unreadReceives();
    }

    /**
     * Descriptors received where no sample showed them and attributed to their receive by the lowest-free rule, and
     * those that turned up open while more than one receive could have made them (not attributed); see
     * {@link UnreadReceives}.
     */
    long[] inferredReceives() {
        PerfDecoder d = decoder;
        if (d == null) return new long[2];
        syncStream();
        return new long[] {d.inferredReceived(), d.unattributedReceived()};
    }

    /**
     * Hands the decoder the target's open numbers as /proc lists them now, applied once the sync that follows has the
     * stream past this moment: a descriptor received into the heap that no later call showed is attributed then, when
     * a single receive can have made it ({@link PerfDecoder#listed}).
     */
    private void listTarget() {
        PerfDecoder d = decoder;
        if (d == null || !enabled || targetPid == SYSTEM_WIDE || !decoding.inferredReceives()) return;
        BitSet open = new BitSet();
        long from = System.nanoTime(); // the events' clock
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc", Integer.toString(targetPid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    open.set(Integer.parseInt(fd.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // not a descriptor
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return; // gone: nothing to list
        }
        d.listed(targetPid, from, System.nanoTime(), open);
    }

    /** Reads the target's table once, for the replay's start and the types of what it holds. */
    private void seedTarget() {
        BitSet open = new BitSet();
        BitSet cloexec = new BitSet();
        List<HandleEntry> seeded = new ArrayList<>();
        try {
            for (HandleEntry entry : ProcFdReader.read(targetPid).entries()) {
                if (entry.handle() >= Integer.MAX_VALUE) continue;
                open.set((int) entry.handle());
                if (closeOnExec(entry)) cloexec.set((int) entry.handle());
                seeded.add(entry);
            }
        } catch (JhtraceException e) {
            // gone already: nothing open
        }
        target.seed(seeded, new ReplayedTable(open, cloexec));
    }

    /**
     * The target's descriptors as the trace replays them, for a target that has exited (/proc has no table then): those
     * it held when tracing began with their /proc types and names, and those it opened since with the type their call
     * makes and the name /proc gave while it ran (see {@link #nameTargetDescriptors()}).
     */
    HandleTable tableAtExit() {
        sync(SYNC_TIMEOUT_NANOS);
        return target.replayedTable();
    }

    /**
     * Names the target's descriptors opened since the last round from /proc while it runs, so that its table after it
     * exited still has names (the tracepoints carry none). A name is read after a sync, and given only to a descriptor
     * whose open was decoded before that sync began: one reopened since then has a newer open, which replaces it when
     * decoded, so no descriptor keeps a name read for another.
     */
    private void nameTargetDescriptors() {
        if (!enabled || !new dev.jhtrace.proc.LinuxProcess(targetPid).isAlive()) return;
        List<Long> unnamed = target.unnamed();
        if (unnamed.isEmpty()) return;
        long mark = System.nanoTime(); // the events' clock (CLOCK_MONOTONIC)
        if (!sync(SYNC_TIMEOUT_NANOS)) return;
        Map<Long, String> names = new HashMap<>();
        Path fds = Path.of("/proc", Integer.toString(targetPid), "fd");
        for (long fd : unnamed) {
            try {
                names.put(fd, Files.readSymbolicLink(fds.resolve(Long.toString(fd))).toString());
            } catch (IOException | UnsupportedOperationException e) {
                // closed meanwhile, or the process gone
            }
        }
        target.nameFromProc(names, mark);
    }

    /** The target's open descriptors that have a name in the replay (for tests). */
    Map<Long, String> namedDescriptors() {
        return target.namedDescriptors();
    }

    /** The open descriptor numbers in /proc/PID/fd and which are close-on-exec (none when gone). */
    private static ReplayedTable procTable(int pid) {
        BitSet open = new BitSet();
        BitSet cloexec = new BitSet();
        try {
            for (HandleEntry entry : ProcFdReader.read(pid).entries()) {
                if (entry.handle() >= Integer.MAX_VALUE) continue;
                open.set((int) entry.handle());
                if (closeOnExec(entry)) cloexec.set((int) entry.handle());
            }
        } catch (JhtraceException e) {
            // gone already: nothing open
        }
        return new ReplayedTable(open, cloexec);
    }

    private void read(PipeReader.Listener parser, Map<Long, TracepointFormat> formats) {
        try {
            StreamBuffer buffered = new StreamBuffer(record.getInputStream(), MAX_STREAM_BUFFER_BYTES, "jhtrace-perf-pump");
            streamBuffer = buffered;
            if (!new PipeReader(buffered, formats, parser).run()) {
                rememberError("perf record wrote no pipe-mode stream");
            }
        } catch (IOException e) {
            rememberError(e.getMessage()); // perf record gone: what was read stays
        } finally {
            parser.end();
            synchronized (lock) {
                streamEnded = true;
                lock.notifyAll();
            }
        }
    }

    private Thread drain(InputStream stream, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    rememberError(line);
                }
            } catch (IOException e) {
                // gone
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void rememberError(String line) {
        synchronized (perfErrors) {
            perfErrors.addLast(line);
            if (perfErrors.size() > 5) perfErrors.removeFirst();
        }
    }

    private String perfError() {
        synchronized (perfErrors) {
            return perfErrors.isEmpty() ? "" : ": " + String.join(" ", perfErrors);
        }
    }

    /**
     * Waits until every event recorded before now has been decoded: a helper event newer than now came through, or the
     * stream ended. Returns false when that did not happen within {@code timeoutNanos}, or when there is no helper.
     */
    private boolean sync(long timeoutNanos) {
        if (helperIn == null) return false;
        if (endsWithLaunch && enabled && !new dev.jhtrace.proc.LinuxProcess(targetPid).isAlive()
                && (endsWithCommandAlone || !descendantsAlive())) {
            return finish();
        }
        return awaitMarker(timeoutNanos);
    }

    /** {@link #sync(long)}'s wait: a helper event newer than now came through, or the stream ended. */
    private boolean awaitMarker(long timeoutNanos) {
        long asked = System.nanoTime();
        long deadline = asked + timeoutNanos;
        if (helperIn == null) return false;
        synchronized (lock) {
            nextMarkerRequestNanos = asked; // a marker asked before now may be older than this sync's moment
            while (lastMarkerNanos < asked && !streamEnded) {
                long now = System.nanoTime();
                long left = deadline - now;
                if (left <= 0) return false;
                // Time-paced, never once per sample seen: asking again on every helper event made the markers feed
                // themselves (each answer another line) until, on a busy machine, they flooded perf's ring buffer.
                if (now - nextMarkerRequestNanos >= 0) {
                    try {
                        helperIn.write('\n');
                        helperIn.flush();
                    } catch (IOException e) {
                        return false; // helper gone
                    }
                    nextMarkerRequestNanos = now + MARKER_INTERVAL_NANOS;
                }
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nextMarkerRequestNanos - now, left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Stops perf; the events decoded so far stay in {@link #log()}. */
    @Override
    public synchronized void disable() {
        if (!enabled) return;
        sync(SYNC_TIMEOUT_NANOS);
        shutdown();
    }

    /**
     * Ends perf record as it ends on its own (SIGTERM): it reads its rings once more, writes how many samples the kernel
     * dropped, and ends its stream, which the reader decodes to its end (a stream far ahead of the decoder may take
     * long: waiting less would diff half a trace). Then the rest shuts down.
     *
     * @return whether the stream ended
     */
    private boolean finish() {
        Process perf = record;
        if (perf != null) perf.toHandle().destroy(); // the signal only: Process.destroy() would also close the stream being read
        long deadline = System.nanoTime() + END_OF_STREAM_TIMEOUT_NANOS;
        synchronized (lock) {
            while (!streamEnded) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        shutdown();
        return streamEnded;
    }

    /**
     * Ends perf and the helper. perf record is killed: the kernel tears its events down; the target never notices.
     */
    synchronized void shutdown() {
        enabled = false;
        if (record != null && record.isAlive()) {
            record.destroyForcibly();
        }
        if (reader != null) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pinger != null) pinger.shutdownNow();
        if (namer != null) namer.shutdownNow();
        if (unwinder != null) unwinder.shutdown();
        if (control != null) {
            try {
                control.close();
            } catch (IOException e) {
                // closed
            }
        }
        if (controlDir != null) {
            try {
                Files.deleteIfExists(controlDir.resolve("control"));
                Files.deleteIfExists(controlDir);
            } catch (IOException e) {
                // left in the temp directory
            }
        }
        if (helper != null) {
            try {
                helperIn.close();
            } catch (IOException e) {
                // already gone
            }
            helper.destroyForcibly();
        }
    }

    /**
     * Ends the recording at the first sync after the launched command and every process it forked (and they forked)
     * have exited, so perf's final counts of dropped samples are in the log. Not when the command alone has exited, as
     * perf's own workload mode does: perf goes on delivering its children's events (inherited events write to the
     * ring of the event they came from; perf record runs while one of them or the helper's lives), and a script that
     * starts a daemon and exits, or {@code sh -c 'worker & exit'}, leaves its leaks to the children.
     */
    void endWithLaunch() {
        endsWithLaunch = true;
    }

    /**
     * Records creation stacks by the kernel's frame-pointer walk instead of DWARF unwinding of a stack copy, for a
     * program that keeps its frame-pointer chain and has no {@code .eh_frame} for perf's unwinder (Go). recvmsg keeps its
     * stack copy (its control data is read from it). Before {@link #enable}.
     */
    void stacksByFramePointers() {
        framePointerStacks = true;
    }

    /** Finds only {@code walks} of the frames perf's unwinder does not give (tests: the controls of {@link GoFrames}, {@link HotSpotMethods}). */
    void walking(FrameWalks walks) {
        this.walks = walks;
    }

    /** Leaves perf record's pipe at the kernel's 64 KiB (benchmarks: the control of {@link PipeCapacity}). Before {@link #enable}. */
    void withKernelDefaultPipe() {
        widePipe = false;
    }

    /** Ends a launch's recording at the first sync after the command alone has exited, as the engine did before (tests: the control). */
    void endWithCommandAlone() {
        endsWithCommandAlone = true;
    }

    /**
     * Whether a process the traced ones forked (a child, or one of its own) still runs: perf keeps tracing it after the
     * target has exited. Every fork made before the look is counted: a fork not yet decoded makes it look again.
     */
    boolean descendantsAlive() {
        if (!enabled) return descendants.anyAlive();
        if (!awaitMarker(SYNC_TIMEOUT_NANOS)) return true; // not known: as if one ran
        long seen = descendants.forks();
        if (descendants.anyAlive()) return true;
        // one that ended after the wait above may have forked another since, whose fork is decoded after the next wait
        if (!awaitMarker(SYNC_TIMEOUT_NANOS)) return true;
        return descendants.forks() != seen || descendants.overflowed();
    }

    /** Whether the target made an exec since tracing began (for a launch: it got past its gate to the command). */
    boolean targetExeced() {
        syncStream();
        return target.execed();
    }

    /** True while perf is recording (false once perf died or was stopped). */
    boolean isRecording() {
        return enabled && record != null && record.isAlive() && !streamEnded;
    }

    /** The sync helper's samples decoded so far, and how many of them came with a stack (for tests). */
    long[] markerSamples() {
        synchronized (lock) {
            return new long[] {markerEvents, markerStacks};
        }
    }

    /** The record process's id (for tests that kill perf). */
    long recordPid() {
        return record == null ? -1 : record.pid();
    }

    @Override
    public long discardThrough(long order) {
        return target.recorder().discardThrough(order);
    }

    @Override
    public TraceLog log() {
        listTarget();
        sync(SYNC_TIMEOUT_NANOS);
        resolveStacks();
        return target.recorder().log();
    }

    /** Events held in memory now (bounded by the retention). */
    int retainedEvents() {
        return target.recorder().retainedEvents();
    }

    /**
     * The mark of a snapshot or of a table about to be read: /proc's listing first (as {@link #log()} takes one), so
     * that descriptors received into memory no sample showed, and shown open by no call since, are attributed before
     * the mark, not after it as new.
     */
    @Override
    public long lastOrder() {
        listTarget();
        if (enabled) sync(SYNC_TIMEOUT_NANOS);
        return target.recorder().lastOrder();
    }

    @Override
    public long eventCount() {
        return target.recorder().eventCount();
    }

    /** An open descriptor's creation: where its event is, and its raw stack. */
    private static final class Open {
        private EventRecorder recorder;
        private long order;
        private RawStack stack;
        private boolean applied; // its unwound stack is in the recorder

        Open(EventRecorder recorder, long order, RawStack stack) {
            set(recorder, order, stack);
        }

        /** Makes this another descriptor's creation (its own descriptor was closed): no object per event. */
        Open set(EventRecorder recorder, long order, RawStack stack) {
            this.recorder = recorder;
            this.order = order;
            this.stack = stack;
            this.applied = false;
            return this;
        }

        EventRecorder recorder() {
            return recorder;
        }

        long order() {
            return order;
        }

        RawStack stack() {
            return stack;
        }
    }
}
