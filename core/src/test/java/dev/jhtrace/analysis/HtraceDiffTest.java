package dev.jhtrace.analysis;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceLog;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtraceDiffTest {
    private static final TargetInfo TARGET = new TargetInfo(100, "leaky");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static HandleTable table(long... handles) {
        List<HandleEntry> entries = new java.util.ArrayList<>();
        for (long h : handles) entries.add(HandleEntry.of(h, "File", "f" + h));
        return new HandleTable(100, T0, entries);
    }

    private static List<Long> values(Diff d) {
        return d.outstanding().stream().map(OutstandingHandle::handle).toList();
    }

    @Test
    void traceOnlyDiffKeepsHandlesOpenedAfterSnapshotAndStillOpen() {
        Events e = new Events();
        StackTrace a = e.stack("ntdll!NtCreateFile", "app!Before");
        StackTrace b = e.stack("ntdll!NtCreateFile", "app!After");
        e.open(0x10, a);
        Snapshot snap = new Snapshot("s", T0, e.lastOrder(), null);
        e.open(0x20, b).open(0x24, b).close(0x24).close(0x10).open(0x28, b);

        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), null, T0);

        assertEquals(List.of(0x20L, 0x28L), values(d), "opened before the snapshot, or opened and closed since, are not outstanding");
        assertSame(b, d.outstanding().get(0).stack());
        assertEquals(5, d.newEvents());
    }

    @Test
    void handleValueClosedAndReopenedIsANewHandleWithTheNewestStack() {
        Events e = new Events();
        StackTrace first = e.stack("app!First");
        StackTrace second = e.stack("app!Second");
        Snapshot snap = new Snapshot("s", T0, -1, null);
        e.open(0x30, first).close(0x30).open(0x30, second);

        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), null, T0);

        assertEquals(1, d.size());
        assertSame(second, d.outstanding().get(0).stack());
        assertEquals(2, d.outstanding().get(0).open().order());
    }

    @Test
    void tablesDecideWhatIsOpenAndTheTraceSuppliesStacks() {
        Events e = new Events();
        StackTrace s = e.stack("libc.so.6!open", "app!leak");
        e.open(3, s);
        Snapshot snap = new Snapshot("s", T0, e.lastOrder(), table(0, 1, 2, 3, 9));
        e.open(4, s);             // open now: outstanding with stack
        e.open(5, s);             // closed by a CLOSE the trace lost: the table says it is gone
        e.close(9).open(9, s);    // in both tables, but reopened since: a new handle
        // 6: in the table now, not in the snapshot, no OPEN in the trace: outstanding, stack lost
        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), table(0, 1, 2, 3, 4, 6, 9), T0);

        assertEquals(List.of(4L, 9L, 6L), values(d));
        OutstandingHandle lost = d.outstanding().get(2);
        assertTrue(lost.stackLost());
        assertNull(lost.open());
        assertTrue(lost.stack().isEmpty());
        assertFalse(d.outstanding().get(0).stackLost());
        assertEquals("File", d.outstanding().get(0).type(), "type comes from the current table");
    }

    @Test
    void withoutSnapshotTableOnlyTracedOpensStillInTheCurrentTableCount() {
        Events e = new Events();
        StackTrace s = e.stack("app!leak");
        Snapshot snap = new Snapshot("s", T0, -1, null);
        e.open(4, s).open(5, s);
        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), table(1, 2, 4), T0);
        assertEquals(List.of(4L), values(d));
    }

    @Test
    void lostEventsAreCarriedIntoTheDiff() {
        Events e = new Events();
        e.open(4, e.stack("app!leak"));
        Diff d = HtraceDiff.compute(TARGET, new Snapshot("s", T0, -1, null), new TraceLog(e.list(), true, 17L), null, T0);
        assertEquals(17L, d.lostEvents());
    }

    @Test
    void aHandleTheTraceSawClosedAfterTheTableWasReadIsNotOutstanding() {
        Events e = new Events();
        StackTrace s = e.stack("app!transient");
        Snapshot snap = new Snapshot("s", T0, -1, table(1, 2));
        e.open(7, s).close(7);          // the table below was read between these two events
        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), table(1, 2, 7), T0);
        assertEquals(List.of(), values(d));
    }

    /**
     * A close that ended before the table was read (its thread made another call since) did free the number: a table
     * that holds it again got it from something the trace does not see, such as an open through io_uring, which then
     * reuses the lowest free number. The close of another thread, or one that may still be under way, proves nothing.
     */
    @Test
    void aHandleClosedBeforeTheTableByAThreadThatWentOnIsOutstandingWhenTheTableHasItAgain() {
        Events e = new Events();
        StackTrace s = e.stack("app!read_config");
        Snapshot snap = new Snapshot("s", T0, -1, table(1, 2));
        e.open(7, 21, s).add(EventKind.CLOSE, 7, 21, StackTrace.EMPTY);  // thread 21 closes 7...
        e.open(8, 21, s).add(EventKind.CLOSE, 8, 21, StackTrace.EMPTY);  // ...and goes on, so the close of 7 had ended
        e.open(9, 22, s).add(EventKind.CLOSE, 9, 22, StackTrace.EMPTY);  // thread 22 closes 9 and does nothing after it
        long mark = e.lastOrder();
        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), table(1, 2, 7, 9), mark, T0);
        assertEquals(List.of(7L), values(d), "7 was made again unseen; 9 may be closing yet");
        assertTrue(d.outstanding().get(0).stackLost(), "no stack: the trace did not see it made");

        // a later call of the thread after the table was read proves nothing about the moment of the read
        Events after = new Events();
        after.open(7, 21, s).add(EventKind.CLOSE, 7, 21, StackTrace.EMPTY);
        long readAt = after.lastOrder();
        after.open(8, 21, s);
        Diff d2 = HtraceDiff.compute(TARGET, snap, TraceLog.of(after.list()), table(1, 2, 7), readAt, T0);
        assertEquals(List.of(), values(d2));
    }

    @Test
    void afterTheTablesMarkOnlyWhatHappensToTheTablesHandlesCounts() {
        Events e = new Events();
        StackTrace passing = e.stack("app!worker_ok");
        StackTrace leak = e.stack("app!worker_leak");
        StackTrace later = e.stack("app!later");
        Snapshot snap = new Snapshot("s", T0, -1, table(1, 2));
        e.open(5, 11, passing).open(6, 12, leak);
        long mark = e.lastOrder();      // the table below was read here
        e.close(5);                     // 5 was only passing through: closed right after the read
        e.open(5, 13, later);           // the number reused by another thread after the read
        e.open(8, 14, later);           // made while the table was read (the table has it)
        e.open(9, 15, later).close(9);  // made and closed again around the read
        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), table(1, 2, 5, 6, 8, 9), mark, T0);
        assertEquals(List.of(6L, 8L), values(d));
        assertSame(leak, d.outstanding().get(0).stack(), "the open before the table's mark, never a later reuse");
        assertSame(later, d.outstanding().get(1).stack());
    }

    @Test
    void aCloseBeforeLostEventsIsNotTrustedOverTheTable() {
        Events e = new Events();
        StackTrace s = e.stack("app!transient");
        Snapshot snap = new Snapshot("s", T0, -1, table(1, 2));
        e.open(3, s).close(3);          // then the buffer overflowed: the OPEN that made the table's 3 was lost
        Diff lost = HtraceDiff.compute(TARGET, snap, new TraceLog(e.list(), true, 5L), table(1, 2, 3), T0);
        assertEquals(List.of(3L), values(lost), "the table decides: open, with its stack lost");
        assertTrue(lost.outstanding().get(0).stackLost());
        Diff whole = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), table(1, 2, 3), T0);
        assertEquals(List.of(), values(whole), "nothing lost: the CLOSE is newer than the table");
    }

    private static HandleEntry file(long handle, String name, Long inode) {
        return new HandleEntry(handle, "File", name, null, null, null, null, null, inode);
    }

    @Test
    void anOpenOfAnotherObjectThanTheTablesIsNotThatHandlesStack() {
        Events e = new Events();
        StackTrace leak = e.stack("app!LeakHostname");
        Snapshot snap = new Snapshot("s", T0, -1, new HandleTable(100, T0, List.of()));
        e.openObject(3, 7, 111, leak); // the trace saw inode 111 opened as 3; the close and the open of 222 were missed
        HandleTable now = new HandleTable(100, T0, List.of(file(3, "/etc/passwd", 222L)));

        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), now, T0);

        assertEquals(List.of(3L), values(d), "open now and not at the snapshot: outstanding");
        assertEquals(null, d.outstanding().get(0).open(), "not attributed to the OPEN of another object");
        assertTrue(d.outstanding().get(0).stackLost());
    }

    @Test
    void severalOpensOfOneValueAreToldApartByTheObject() {
        Events e = new Events();
        StackTrace ok = e.stack("app!WorkerOk");
        StackTrace leak = e.stack("app!WorkerLeak");
        Snapshot snap = new Snapshot("s", T0, -1, new HandleTable(100, T0, List.of()));
        // no CLOSE between the two OPENs of 5: their order is in doubt, the inode says which one the table holds
        e.openObject(5, 8, 500, leak).openObject(5, 9, 600, ok);
        HandleTable now = new HandleTable(100, T0, List.of(file(5, "/etc/hostname", 500L)));

        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), now, T0);

        assertSame(leak, d.outstanding().get(0).stack(), "the OPEN of the table's object, though not the newest");
        assertFalse(d.outstanding().get(0).orderingUnknown());
    }

    @Test
    void severalOpensOfOneValueThatNothingTellsApartAreMarkedOrderingUnknown() {
        Events e = new Events();
        StackTrace ok = e.stack("app!WorkerOk");
        StackTrace leak = e.stack("app!WorkerLeak");
        Snapshot snap = new Snapshot("s", T0, -1, new HandleTable(100, T0, List.of()));
        e.open(5, 8, leak).open(5, 9, ok);
        HandleTable now = new HandleTable(100, T0, List.of(HandleEntry.of(5, "File", "/etc/hostname")));

        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), now, T0);

        assertTrue(d.outstanding().get(0).orderingUnknown(), "a guess, said so");
        assertSame(ok, d.outstanding().get(0).stack(), "the newest");
        LeakReport report = LeakAnalyzer.DEFAULT.analyze(d, "gdb");
        assertEquals(1, report.groups().get(0).orderingUnknown());
        assertTrue(dev.jhtrace.report.LeakReportText.render(report).contains("ordering unknown: 1 of these"));
        assertEquals(1, dev.jhtrace.report.ReportJson.tree(report).get("groups").get(0).get("orderingUnknown").asInt());
    }

    @Test
    void aValueHoldingAnotherObjectThanAtTheSnapshotIsNewEvenWhenTheTraceMissedItsOpen() {
        Events e = new Events();
        Snapshot snap = new Snapshot("s", T0, -1, new HandleTable(100, T0, List.of(file(4, "/etc/group", 40L))));
        HandleTable now = new HandleTable(100, T0, List.of(file(4, "/etc/passwd", 41L)));

        Diff d = HtraceDiff.compute(TARGET, snap, TraceLog.of(e.list()), now, T0);

        assertEquals(List.of(4L), values(d));
        assertTrue(d.outstanding().get(0).stackLost());
    }
}
