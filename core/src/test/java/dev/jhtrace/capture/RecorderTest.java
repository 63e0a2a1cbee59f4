package dev.jhtrace.capture;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.SymbolResolver;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceTrimming;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recorder's bookkeeping on a scripted target (the engines' real behaviour is tested in the shell module). */
class RecorderTest {
    private static final StackTrace A = stack("load_template");
    private static final StackTrace B = stack("connect_backend");

    private static StackTrace stack(String function) {
        return new StackTrace(List.of(new StackFrame(0x7f0001, "libc.so.6", "open64", 0x41L, null, null),
                new StackFrame(0x401000 + function.length(), "srv", function, 0x10L, null, null)));
    }

    /** A target whose handles and trace the test drives; it forgets trimmed events like an engine should. */
    static final class Scripted implements HandleSource, HandleTracing, TraceTrimming {
        final TreeMap<Long, HandleEntry> open = new TreeMap<>();
        final List<TraceEvent> events = new ArrayList<>();
        long order;
        boolean enabled;
        long discarded;

        void open(long fd, StackTrace stack, String name) {
            open.put(fd, HandleEntry.of(fd, "File", name));
            if (enabled) events.add(new TraceEvent(order++, EventKind.OPEN, fd, 9, 9, TraceEvent.NO_TIME, stack));
        }

        /** An open the engine worked out rather than saw (a descriptor received where it could not read it). */
        void openInferred(long fd, StackTrace stack, String name) {
            open.put(fd, HandleEntry.of(fd, "File", name));
            if (enabled) events.add(new TraceEvent(order++, EventKind.OPEN, fd, 9, 9, TraceEvent.NO_TIME, stack, TraceEvent.NO_OBJECT, true));
        }

        List<String> notes = List.of();

        public List<String> traceNotes() { return notes; }

        void close(long fd) {
            open.remove(fd);
            if (enabled) events.add(new TraceEvent(order++, EventKind.CLOSE, fd, 9, 9, TraceEvent.NO_TIME, StackTrace.EMPTY));
        }

        public TargetInfo target() { return new TargetInfo(9, "srv"); }
        public String engineName() { return "scripted"; }
        /** What the target does just before and just after its table is read (an engine's trace lags the kernel). */
        Runnable beforeTableRead = () -> { };
        Runnable afterTableRead = () -> { };

        public HandleTable handles() {
            beforeTableRead.run();
            HandleTable table = new HandleTable(9, Instant.EPOCH, List.copyOf(open.values()));
            afterTableRead.run();
            return table;
        }
        public Optional<HandleTracing> tracing() { return Optional.of(this); }
        public SymbolResolver symbols() { return SymbolResolver.NONE; }
        public boolean isAlive() { return true; }
        public void close() { }
        public boolean isEnabled() { return enabled; }
        public void enable(TraceOptions options) { enabled = true; }
        public void disable() { enabled = false; }
        public TraceLog log() { return new TraceLog(events, false, 0L); }

        public long discardThrough(long o) {
            int before = events.size();
            events.removeIf(e -> e.order() <= o);
            discarded += before - events.size();
            return before - events.size();
        }
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC);

    @Test
    void countsPerStackTheHandlesOpenedSinceTracingBeganAndStillOpen() {
        Scripted t = new Scripted();
        t.open(0, StackTrace.EMPTY, "/dev/null");
        t.open(1, StackTrace.EMPTY, "/etc/before");
        Recorder r = new Recorder(t, 1, 20, 100, CLOCK);
        r.start(TraceOptions.DEFAULT);
        assertTrue(t.enabled);
        t.close(1); // opened before tracing: never counted
        t.open(3, A, "/tmp/a3");
        t.open(4, B, "/tmp/b4");
        t.close(4);
        t.open(5, A, "/tmp/a5");
        CaptureRecord first = r.record(1);
        assertEquals(3, first.total(), "0, 3 and 5");
        assertEquals(2, first.outstanding());
        assertEquals(1, first.groups().size());
        StackGroup a = first.groups().get(0);
        assertEquals("srv!load_template+0x10", a.key());
        assertEquals(2, a.count());
        assertEquals(2, a.opened());
        assertEquals(List.of("/tmp/a3", "/tmp/a5"), a.names());
        assertEquals(5, first.newEvents());
        assertEquals(5, first.droppedEvents(), "recorded events are forgotten");
        assertTrue(t.events.isEmpty());

        t.close(3);
        t.open(6, A, "/tmp/a6");
        t.open(3, B, "/tmp/b3"); // the value 3 reused by another stack
        CaptureRecord second = r.record(2);
        assertEquals(3, second.outstanding());
        StackGroup a2 = second.groups().get(0);
        assertEquals(a.id(), a2.id());
        assertEquals(2, a2.count());
        assertEquals(1, a2.opened());
        assertEquals(1, second.groups().get(1).count());
        assertEquals("srv!connect_backend+0x10", second.groups().get(1).key());
        assertEquals(8, second.droppedEvents());

        r.stop();
        assertFalse(t.enabled, "tracing is disabled when the recorder stops");
    }

    /** A group counts its handles the engine inferred, and a record keeps the engine's notes as they were then. */
    @Test
    void aRecordKeepsTheInferredCountsAndTheEnginesNotes() {
        Scripted t = new Scripted();
        Recorder r = new Recorder(t, 1, 20, 100, CLOCK);
        r.start(TraceOptions.DEFAULT);
        t.open(3, A, "/tmp/a3");
        t.openInferred(4, A, "/tmp/a4");
        t.openInferred(5, B, "/tmp/b5");
        t.open(6, B, "/tmp/b6");
        t.open(7, B, "/tmp/b7");
        CaptureRecord first = r.record(1);
        assertEquals(List.of(), first.notes());
        Map<String, Integer> inferred = new java.util.TreeMap<>();
        for (StackGroup g : first.groups()) inferred.put(g.key(), g.inferred());
        assertEquals(Map.of("srv!load_template+0x10", 1, "srv!connect_backend+0x10", 1), inferred);
        t.notes = List.of("1 received message held control data outside the stack perf copies");
        CaptureRecord second = r.record(2);
        assertEquals(t.notes, second.notes());
        assertEquals(2, second.groups().stream().mapToInt(StackGroup::inferred).sum(), "still open, still inferred");
    }

    /**
     * A handle opened right after a record read the table, while the trace had not caught up, is the next record's, with
     * its stack; one opened after the trace's mark, while the table was being read, is in that record, counted once.
     */
    @Test
    void handlesOpenedWhileATableIsReadKeepTheirStacksAndAreCountedOnce() {
        Scripted t = new Scripted();
        Recorder r = new Recorder(t, 1, 20, 100, CLOCK);
        r.start(TraceOptions.DEFAULT);
        t.open(3, A, "/tmp/a3");
        t.beforeTableRead = () -> t.open(4, A, "/tmp/a4");
        t.afterTableRead = () -> t.open(5, A, "/tmp/a5");
        CaptureRecord first = r.record(1);
        assertEquals(List.of("srv!load_template+0x10"), first.groups().stream().map(StackGroup::key).toList());
        assertEquals(2, first.groups().get(0).count(), "3 and 4 (5 is not in the table yet)");
        assertEquals(2, first.opened());
        assertEquals(1, first.newEvents(), "the events up to the trace's mark, taken before the table: 3's");

        t.beforeTableRead = () -> { };
        t.afterTableRead = () -> { };
        CaptureRecord second = r.record(2);
        assertEquals(List.of("srv!load_template+0x10"), second.groups().stream().map(StackGroup::key).toList(), "no (stack unknown)");
        assertEquals(3, second.groups().get(0).count());
        assertEquals(1, second.opened(), "5 only: 4 was counted by the first record");
        assertEquals(1, second.groups().get(0).opened());
        assertEquals(2, second.newEvents(), "4's and 5's, each counted once");
    }

    @Test
    void capsStacksAndEntriesAndCountsWhatWasLeftOut() {
        Scripted t = new Scripted();
        Recorder r = new Recorder(t, 1, 1, 2, CLOCK);
        r.start(TraceOptions.DEFAULT);
        t.open(3, A, "a");
        t.open(4, A, "a");
        t.open(5, B, "b");
        CaptureRecord rec = r.record(1);
        assertEquals(1, rec.groups().size());
        assertEquals(2, rec.groups().get(0).count(), "the heaviest stack is kept");
        assertEquals(1, rec.groupsDropped());
        assertEquals(2, rec.entries().size());
        assertEquals(1, rec.entriesDropped());
        assertEquals(3, rec.total());
    }

    @Test
    void stackIdsIgnoreLoadAddressesOfResolvedFrames() {
        StackTrace moved = new StackTrace(A.frames().stream()
                .map(f -> new StackFrame(f.address() + 0x100000, f.module(), f.function(), f.offset(), f.file(), f.line())).toList());
        assertEquals(StackIds.of(A), StackIds.of(moved));
        assertFalse(StackIds.of(A).equals(StackIds.of(B)));
    }
}
