package dev.jhtrace.shell.metrics;

import dev.jhtrace.capture.CaptureRecord;
import dev.jhtrace.capture.CaptureRun;
import dev.jhtrace.capture.LeakVerdict;
import dev.jhtrace.capture.Verdict;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code capture --metrics-port}: the capture as Prometheus metrics (OpenMetrics, or the Prometheus text format,
 * as the scraper asks), served by the Prometheus Java client's HTTP server on {@code /metrics}.
 *
 * <p>After every record: handles open by type, growth per hour by type, for all handles and for the
 * {@value #TOP_STACKS} fastest-growing stacks (leaking frame and stack id as labels, so the number of series
 * stays bounded), whether the growth judged so far is a leak, trace events seen, lost and dropped, and the
 * capture's health (records, segments, whether a process is attached, the last record's time). Growth is judged
 * by {@link LeakVerdict#DEFAULT} over the current segment's latest {@value #WINDOW_RECORDS} records, as the
 * reports judge it over the whole segment; at the end the capture's own verdict replaces it.
 *
 * <p>Each instance has its own registry: nothing global. The metrics read one immutable state published per
 * record, so a scrape never sees a record half applied.
 */
public final class CaptureMetrics implements CaptureRun.Listener, AutoCloseable {
    /** Stacks exposed: the fastest-growing ones (leaking first). */
    static final int TOP_STACKS = 10;
    /** Records of the current segment kept for judging growth. */
    static final int WINDOW_RECORDS = 1024;
    /** Longest leaking-frame label value: symbols of C++ templates can run to kilobytes. */
    private static final int MAX_LABEL_CHARS = 200;

    /** What the metrics show, replaced whole after each record. */
    private record State(CaptureRecord last, Verdict verdict, boolean attached) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ArrayDeque<CaptureRecord> window = new ArrayDeque<>();
    private final Counter records, segments, events;
    private final Info target;
    private volatile State state = new State(null, null, false);
    private HTTPServer server;

    /** Metrics with nothing recorded yet, not served (see {@link #serve}). */
    public CaptureMetrics() {
        GaugeWithCallback.builder().name("jhtrace_handles").help("Handles (Linux: descriptors) the process has open, by type")
                .labelNames("type").callback(cb -> {
                    State s = state;
                    if (s.last != null) s.last.types().forEach((type, n) -> cb.call(n, type));
                }).register(registry);
        GaugeWithCallback.builder().name("jhtrace_handle_growth_per_hour").help("Fitted growth of open handles per hour over the later part of the segment, by type")
                .labelNames("type").callback(cb -> {
                    Verdict v = state.verdict;
                    if (v != null && v.total() != null) v.types().forEach(g -> cb.call(g.perHour(), g.subject()));
                }).register(registry);
        GaugeWithCallback.builder().name("jhtrace_handle_growth_all_per_hour").help("Fitted growth of all open handles per hour over the later part of the segment")
                .callback(cb -> {
                    Verdict v = state.verdict;
                    if (v != null && v.total() != null) cb.call(v.total().perHour());
                }).register(registry);
        GaugeWithCallback.builder().name("jhtrace_stack_growth_per_hour")
                .help("Fitted growth per hour of the handles one stack holds open, for the " + TOP_STACKS + " fastest-growing stacks")
                .labelNames("frame", "stack").callback(cb -> topStacks().forEach(s -> cb.call(s.growth().perHour(), frame(s), s.group().id())))
                .register(registry);
        GaugeWithCallback.builder().name("jhtrace_stack_handles").help("Handles one stack opened since tracing began and still holds, for the same stacks")
                .labelNames("frame", "stack").callback(cb -> topStacks().forEach(s -> cb.call(s.group().count(), frame(s), s.group().id())))
                .register(registry);
        GaugeWithCallback.builder().name("jhtrace_leak").help("1 when the growth judged so far is a steady leak (the capture's verdict once it ended), else 0")
                .callback(cb -> {
                    Verdict v = state.verdict;
                    if (v != null) cb.call(v.leak() ? 1 : 0);
                }).register(registry);
        GaugeWithCallback.builder().name("jhtrace_leak_judged").help("1 when the segment has enough records for a verdict, else 0")
                .callback(cb -> {
                    Verdict v = state.verdict;
                    cb.call(v != null && v.total() != null ? 1 : 0);
                }).register(registry);
        GaugeWithCallback.builder().name("jhtrace_trace_events_lost").help("Trace events the engine reports lost in the current segment")
                .callback(cb -> {
                    State s = state;
                    if (s.last != null && s.last.lostEvents() != null) cb.call(s.last.lostEvents());
                }).register(registry);
        GaugeWithCallback.builder().name("jhtrace_trace_events_dropped").help("Trace events jhtrace let go to bound its memory in the current segment")
                .callback(cb -> {
                    State s = state;
                    if (s.last != null) cb.call(s.last.droppedEvents());
                }).register(registry);
        GaugeWithCallback.builder().name("jhtrace_capture_attached").help("1 while a process is being captured, 0 while waiting for one or after the end")
                .callback(cb -> cb.call(state.attached ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("jhtrace_capture_last_record_timestamp_seconds").help("When the latest record was taken (Unix time)")
                .callback(cb -> {
                    State s = state;
                    if (s.last != null) cb.call(s.last.time().toEpochMilli() / 1000.0);
                }).register(registry);
        records = Counter.builder().name("jhtrace_capture_records").help("Records written").register(registry);
        segments = Counter.builder().name("jhtrace_capture_segments").help("Processes captured (more than one when --name follows restarts)").register(registry);
        events = Counter.builder().name("jhtrace_trace_events").help("Trace events (handle opens and closes) seen").register(registry);
        target = Info.builder().name("jhtrace_capture_target").help("The process being captured")
                .labelNames("pid", "name", "engine", "tracing").register(registry);
    }

    /**
     * Serves the metrics on {@code http://bind:port/metrics}; port 0 picks a free one ({@link #port()}).
     *
     * @throws JhtraceException BAD_INPUT when the address cannot be bound (in use, not this machine's)
     */
    public CaptureMetrics serve(String bind, int port) {
        if (port < 0 || port > 65535) throw new JhtraceException(Failure.BAD_INPUT, "--metrics-port must be 0 to 65535, not " + port);
        try {
            server = HTTPServer.builder().hostname(bind).port(port).registry(registry).buildAndStart();
        } catch (IOException | RuntimeException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "cannot serve metrics on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** The port served on (the one picked when asked for 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public synchronized void segmentStarted(int segment, int pid, String name, String engine, boolean tracing) {
        window.clear();
        segments.inc();
        target.setLabelValues(String.valueOf(pid), name == null ? "" : name, engine, String.valueOf(tracing));
        state = new State(null, null, true);
    }

    @Override
    public synchronized void recorded(CaptureRecord record) {
        records.inc();
        events.inc(record.newEvents());
        // the entries are not needed for judging growth: keep the window small
        window.addLast(record.withEntries(List.of()));
        if (window.size() > WINDOW_RECORDS) window.removeFirst();
        Verdict verdict = LeakVerdict.DEFAULT.judge(record.segment(), new ArrayList<>(window));
        state = new State(record, verdict, true);
    }

    @Override
    public synchronized void segmentEnded(int segment, String why) {
        state = new State(state.last, state.verdict, false);
    }

    @Override
    public synchronized void ended(Verdict verdict) {
        state = new State(state.last, verdict, false);
    }

    private List<Verdict.StackGrowth> topStacks() {
        Verdict v = state.verdict;
        if (v == null || v.total() == null) return List.of();
        return v.stacks().stream().limit(TOP_STACKS).toList();
    }

    private static String frame(Verdict.StackGrowth s) {
        String key = s.group().key();
        return key.length() <= MAX_LABEL_CHARS ? key : key.substring(0, MAX_LABEL_CHARS - 3) + "...";
    }

    /** Stops serving. Idempotent. */
    @Override
    public void close() {
        if (server != null) server.close();
        server = null;
    }

}
