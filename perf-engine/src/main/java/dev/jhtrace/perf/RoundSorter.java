package dev.jhtrace.perf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Puts samples into kernel time order as perf script's ordered events do: perf record reads each CPU's ring in turn
 * and marks each pass with a FINISHED_ROUND, so a sample read in a later pass can be older than one read in this pass,
 * but never older than the newest of the pass before. At each round mark, what is no newer than that is due, sorted:
 * every sample received before the previous mark goes out by then (what {@link PipeReader.Listener#reusesBytes} needs).
 * Not thread-safe: the reader's.
 */
final class RoundSorter {
    private static final Comparator<TraceSample> BY_TIME = Comparator.comparingLong(TraceSample::monoNanos);
    private final Consumer<TraceSample> sink;
    private List<TraceSample> held = new ArrayList<>();
    private long newest = Long.MIN_VALUE; // of everything received
    private long due = Long.MIN_VALUE; // the newest as of the previous round mark

    RoundSorter(Consumer<TraceSample> sink) {
        this.sink = sink;
    }

    void add(TraceSample s) {
        held.add(s);
        newest = Math.max(newest, s.monoNanos());
    }

    /** A round mark: samples no newer than the newest of the previous round go out, oldest first. */
    void round() {
        long limit = due;
        due = newest;
        if (held.isEmpty() || limit == Long.MIN_VALUE) return;
        held.sort(BY_TIME); // stable: equal times keep their stream order
        int n = 0;
        while (n < held.size() && held.get(n).monoNanos() <= limit) n++;
        if (n == 0) return;
        for (int i = 0; i < n; i++) sink.accept(held.get(i));
        held.subList(0, n).clear();
    }

    /** The end of the stream: everything goes out. */
    void flush() {
        held.sort(BY_TIME);
        List<TraceSample> out = held;
        held = new ArrayList<>();
        for (TraceSample s : out) sink.accept(s);
    }
}
