package dev.jhtrace.recorder;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.TraceRetention;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventRecorderTest {

    private static RawEvent open(long order, long handle, long... addresses) {
        return new RawEvent(order, EventKind.OPEN, handle, 10, 11, TraceEvent.NO_TIME, addresses);
    }

    @Test
    void numbersEventsWithoutAnOrderAndKeepsTheEnginesOwn() {
        EventRecorder r = new EventRecorder(TraceRetention.DEFAULT);
        assertEquals(Snapshot.BEFORE_FIRST_EVENT, r.lastOrder());
        assertTrue(r.isEmpty());
        r.add(open(RawEvent.NEXT_ORDER, 4));
        r.add(open(RawEvent.NEXT_ORDER, 5));
        r.add(open(7, 6)); // the engine's order: 5 and 6 were lost in its buffer
        r.add(open(RawEvent.NEXT_ORDER, 7));
        assertEquals(List.of(0L, 1L, 7L, 8L), r.log().events().stream().map(TraceEvent::order).toList());
        assertEquals(8, r.lastOrder());
        assertEquals(4, r.eventCount());
        assertThrows(IllegalArgumentException.class, () -> r.add(open(8, 9)));
    }

    @Test
    void anInferredEventStaysInferredAndKeepsItsKind() {
        EventRecorder r = new EventRecorder(TraceRetention.DEFAULT);
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 5, 1, 1, 100, true);
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 6, 1, 1, 200);
        r.add(RawEvent.NEXT_ORDER, EventKind.CLOSE, 5, 1, 1, 300, true);
        List<TraceEvent> events = r.log().events();
        assertEquals(List.of(EventKind.OPEN, EventKind.OPEN, EventKind.CLOSE), events.stream().map(TraceEvent::kind).toList());
        assertEquals(List.of(true, false, true), events.stream().map(TraceEvent::inferred).toList());
        assertTrue(events.get(0).withStack(StackTrace.EMPTY).inferred(), "a stack resolved later keeps the mark");
    }

    @Test
    void internsStacksAndKeepsEmptyStacksEmpty() {
        EventRecorder r = new EventRecorder(TraceRetention.DEFAULT);
        TraceEvent a = r.add(open(RawEvent.NEXT_ORDER, 3, 0x10, 0x20));
        TraceEvent b = r.add(open(RawEvent.NEXT_ORDER, 4, 0x10, 0x20));
        TraceEvent c = r.add(open(RawEvent.NEXT_ORDER, 5));
        assertSame(a.stack(), b.stack());
        assertEquals(0x20, a.stack().frames().get(1).address());
        assertSame(StackTrace.EMPTY, c.stack());
    }

    @Test
    void aFloodKeepsTheNewestEventsAndCountsTheDroppedAsLost() {
        EventRecorder r = new EventRecorder(new TraceRetention(1_000));
        for (int i = 0; i < 250_000; i++) r.add(open(RawEvent.NEXT_ORDER, i % 64, 0x1000 + i % 7));
        assertEquals(1_000, r.retainedEvents());
        TraceLog log = r.log();
        assertEquals(1_000, log.size());
        assertEquals(249_000L, log.lostEvents());
        assertTrue(log.wrapped());
        assertEquals(249_000, log.events().get(0).order());
        assertEquals(250_000, r.eventCount());
    }

    @Test
    void eventsAfterAnOrderAreOnlyTheNewerOnes() {
        EventRecorder r = new EventRecorder(new TraceRetention(5));
        for (int i = 0; i < 8; i++) r.add(open(RawEvent.NEXT_ORDER, i, 0x1));
        assertEquals(java.util.List.of(6L, 7L), r.eventsAfter(5).stream().map(TraceEvent::order).toList());
        assertEquals(java.util.List.of(3L, 4L, 5L, 6L, 7L), r.eventsAfter(Snapshot.BEFORE_FIRST_EVENT).stream().map(TraceEvent::order).toList(),
                "the retained ones, when older were dropped");
        assertEquals(java.util.List.of(), r.eventsAfter(7));
    }

    @Test
    void discardForgetsRecordedEventsAndKeepsCounts() {
        EventRecorder r = new EventRecorder(TraceRetention.DEFAULT);
        for (int i = 0; i < 10; i++) r.add(open(RawEvent.NEXT_ORDER, i, 0x1));
        assertEquals(6, r.discardThrough(5));
        assertEquals(List.of(6L, 7L, 8L, 9L), r.log().events().stream().map(TraceEvent::order).toList());
        assertEquals(0, r.discardThrough(5));
        assertEquals(4, r.discardThrough(100));
        assertEquals(0, r.retainedEvents());
        assertEquals(9, r.lastOrder());
        assertEquals(10, r.eventCount());
        assertFalse(r.log().wrapped());
        assertEquals(0L, r.log().lostEvents());
        assertEquals(10, r.add(open(RawEvent.NEXT_ORDER, 1, 0x1)).order());
    }

    @Test
    void lossesKnownAndUnknown() {
        EventRecorder r = new EventRecorder(TraceRetention.DEFAULT);
        r.add(open(RawEvent.NEXT_ORDER, 1));
        TraceLog first = r.log();
        assertSame(first, r.log(), "copied again although nothing changed");
        r.engineLost(3);
        assertEquals(3L, r.log().lostEvents());
        assertTrue(r.log().wrapped());
        r.unknownLoss();
        assertNull(r.log().lostEvents());
        assertTrue(r.log().wrapped());
    }

    @Test
    void retentionMustBePositive() {
        assertThrows(RuntimeException.class, () -> new TraceRetention(0));
    }

    @Test
    void restackGivesRetainedEventsTheirResolvedStacksAndANewLog() {
        EventRecorder r = new EventRecorder(new TraceRetention(2));
        r.add(open(1, 4));
        r.add(open(2, 5));
        r.add(open(3, 6)); // 1 is dropped by the bound
        TraceLog before = r.log();
        StackTrace stack = new StackTrace(List.of(new dev.jhtrace.model.StackFrame(0x11a5, "leaky", "leak_pipe", 0x1cL, null, null)));
        r.restack(java.util.Map.of(1L, stack, 3L, stack));
        TraceLog after = r.log();
        assertFalse(before == after, "a restacked recorder copies its log anew");
        assertEquals(List.of(2L, 3L), after.events().stream().map(TraceEvent::order).toList());
        assertTrue(after.events().get(0).stack().isEmpty());
        assertEquals(stack, after.events().get(1).stack());
        assertEquals(6, after.events().get(1).handle());
        assertEquals(3, r.eventCount(), "restacking adds nothing");
    }

    @Test
    void eventsAddedByTheirFieldsSpanManyBlocksAndKeepTheirFieldsThroughDropsAndDiscards() {
        EventRecorder r = new EventRecorder(new TraceRetention(2_500));
        for (long n = 0; n < 10_000; n++) {
            long order = r.add(100 + 2 * n, n % 2 == 0 ? EventKind.OPEN : EventKind.CLOSE, n % 50, 7, (int) n, 1_000 + n);
            assertEquals(100 + 2 * n, order);
        }
        assertEquals(20_099, r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 3, 7, 1, 5));
        List<TraceEvent> kept = r.log().events();
        assertEquals(2_500, kept.size());
        assertEquals(7_501, r.log().lostEvents()); // the oldest dropped by the bound
        for (int i = 0; i < 2_499; i++) {
            long n = 7_501 + i;
            TraceEvent e = kept.get(i);
            assertEquals(new TraceEvent(100 + 2 * n, n % 2 == 0 ? EventKind.OPEN : EventKind.CLOSE, n % 50, 7, (int) n, 1_000 + n, StackTrace.EMPTY), e);
        }
        assertEquals(List.of(20_098L, 20_099L), r.eventsAfter(20_096).stream().map(TraceEvent::order).toList());
        StackTrace stack = new StackTrace(List.of(dev.jhtrace.model.StackFrame.unresolved(0x1234)));
        r.restack(java.util.Map.of(20_098L, stack));
        assertEquals(stack, r.log().events().get(2_498).stack());
        assertTrue(r.log().events().get(2_497).stack().isEmpty());
        assertEquals(2_000, r.discardThrough(100 + 2 * (7_501 + 1_999)));
        assertEquals(500, r.retainedEvents());
        assertEquals(100 + 2 * 9_501, r.log().events().get(0).order());
        assertEquals(500, r.discardThrough(Long.MAX_VALUE));
        assertEquals(0, r.retainedEvents());
        assertEquals(20_100, r.add(RawEvent.NEXT_ORDER, EventKind.CLOSE, 3, 7, 1, 6)); // one after the newest, also when none is retained
        assertEquals(1, r.log().size());
    }

    /**
     * A process that opens and closes a handle a thousand times between two records of a capture while it leaks a few:
     * the bound forgets the settled pairs, not the leaks' OPENs (before, all but the newest 1,000 events went, the leaks'
     * stacks with them, and the log counted them lost).
     */
    @Test
    void aFullRecorderForgetsSettledPairsBeforeDroppingALeaksOpen() {
        EventRecorder r = new EventRecorder(new TraceRetention(1_000));
        StackTrace leak = new StackTrace(List.of(dev.jhtrace.model.StackFrame.unresolved(0xa)));
        StackTrace churn = new StackTrace(List.of(dev.jhtrace.model.StackFrame.unresolved(0xc)));
        for (int i = 0; i < 100; i++) {
            r.add(new RawEvent(RawEvent.NEXT_ORDER, EventKind.OPEN, 1_000 + i, 10, 11, TraceEvent.NO_TIME, new long[0]), leak);
            for (int j = 0; j < 500; j++) {
                r.add(new RawEvent(RawEvent.NEXT_ORDER, EventKind.OPEN, 3, 10, 12, TraceEvent.NO_TIME, new long[0]), churn);
                r.add(RawEvent.NEXT_ORDER, EventKind.CLOSE, 3, 10, 12, TraceEvent.NO_TIME);
            }
        }
        TraceLog log = r.log();
        assertEquals(100_100, r.eventCount());
        assertEquals(0L, log.lostEvents(), "nothing the diff needs was lost");
        assertFalse(log.wrapped());
        List<TraceEvent> leaks = log.events().stream().filter(e -> e.handle() >= 1_000).toList();
        assertEquals(100, leaks.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(1_000 + i, leaks.get(i).handle());
            assertEquals(leak, leaks.get(i).stack());
        }
        assertTrue(log.size() <= 1_000, "within the bound: " + log.size());
        assertEquals(r.eventCount() - log.size(), r.settledForgotten());
        // the orders still increase, and the churning thread's newest event (its last CLOSE) is kept
        for (int i = 1; i < log.size(); i++) assertTrue(log.events().get(i).order() > log.events().get(i - 1).order());
        TraceEvent newest = log.events().get(log.size() - 1);
        assertEquals(100_099, newest.order()); // orders from 0
        assertEquals(EventKind.CLOSE, newest.kind());
        // the diff without a table: the 100 leaks and nothing of the churn
        var diff = dev.jhtrace.analysis.HtraceDiff.compute(new dev.jhtrace.model.TargetInfo(10, "churn"),
                new Snapshot("s", java.time.Instant.EPOCH, Snapshot.BEFORE_FIRST_EVENT, null), log, null, java.time.Instant.EPOCH);
        assertEquals(100, diff.outstanding().size(), diff.toString());
    }

    @Test
    void onlyAnOpenAndTheCloseOfTheSameProcessAndHandleAreAPair() {
        EventRecorder r = new EventRecorder(new TraceRetention(6));
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 5, 1, 100, 0);  // 0: closed by another process's CLOSE of 5: not a pair
        r.add(RawEvent.NEXT_ORDER, EventKind.CLOSE, 5, 2, 200, 0); // 1
        r.add(RawEvent.NEXT_ORDER, EventKind.CLOSE, 6, 1, 100, 0); // 2: closes what the trace never saw opened
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 7, 1, 101, 0);  // 3, 4: a pair, of threads 101 and 102
        r.add(RawEvent.NEXT_ORDER, EventKind.CLOSE, 7, 1, 102, 0);
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 8, 1, 101, 0);  // 5, 6: 101's and 102's newest come after the pair
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 9, 1, 102, 0);
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 10, 1, 200, 0); // 7
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 11, 1, 100, 0); // 8: full again, nothing settled: the oldest goes
        assertEquals(List.of(1L, 2L, 5L, 6L, 7L, 8L), r.log().events().stream().map(TraceEvent::order).toList());
        assertEquals(2, r.settledForgotten());
        assertEquals(1L, r.log().lostEvents());
    }

    @Test
    void aPairWhoseCloseIsItsThreadsNewestIsKept() {
        EventRecorder r = new EventRecorder(new TraceRetention(2));
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 5, 1, 100, 0);
        r.add(RawEvent.NEXT_ORDER, EventKind.CLOSE, 5, 1, 100, 0); // thread 100's newest: it tells the close had ended
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 6, 1, 200, 0);
        assertEquals(0, r.settledForgotten());
        assertEquals(List.of(1L, 2L), r.log().events().stream().map(TraceEvent::order).toList());
        assertEquals(1L, r.log().lostEvents());
    }

    /** Two OPENs of a handle and then one CLOSE (a close was missed): the diff takes the CLOSE as ending both, so all stay. */
    @Test
    void aCloseAfterTwoOpensOfItsHandleIsNotASettledPair() {
        EventRecorder r = new EventRecorder(new TraceRetention(4));
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 5, 1, 100, 0);
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 5, 1, 100, 0);
        r.add(RawEvent.NEXT_ORDER, EventKind.CLOSE, 5, 1, 100, 0);
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 6, 1, 100, 0); // the thread's newest, after the CLOSE
        r.add(RawEvent.NEXT_ORDER, EventKind.OPEN, 7, 1, 200, 0);
        assertEquals(0, r.settledForgotten());
        assertEquals(List.of(1L, 2L, 3L, 4L), r.log().events().stream().map(TraceEvent::order).toList());
    }
}
