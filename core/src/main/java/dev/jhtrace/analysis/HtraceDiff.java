package dev.jhtrace.analysis;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Computes {@code !htrace -diff}: the handles open now that were opened after a snapshot, each with
 * the stack of its most recent OPEN. A handle value closed and reopened is a new handle. When both
 * handle tables are known the tables decide what is open (the trace may have lost events) and the
 * trace only supplies stacks, except that a handle the trace saw closed (and not reopened) since the
 * snapshot is not outstanding even if the table, read a moment earlier, still had it, unless the closing thread made
 * another call before the table was read (the close had then ended: the handle was made again unseen). Without
 * tables the trace alone decides.
 *
 * <p>Where events and table entries name their object ({@link TraceEvent#objectId()}, {@link HandleEntry#objectId()}:
 * the inode on Linux), an OPEN of another object than the table's is not taken as that handle's: the handle is then
 * reported with its stack lost. Several OPENs of one value with no CLOSE between them (a CLOSE missed, or events
 * whose order cannot be known) are told apart by the object; when nothing tells them apart the newest is taken and
 * the handle is marked {@link OutstandingHandle#orderingUnknown()}.
 */
public final class HtraceDiff {
    private HtraceDiff() {
    }

    /** Like {@link #compute(TargetInfo, Snapshot, TraceLog, HandleTable, long, Instant)} for a table read after every event of the log. */
    public static Diff compute(TargetInfo target, Snapshot since, TraceLog log, HandleTable now, Instant time) {
        return compute(target, since, log, now, Long.MAX_VALUE, time);
    }

    /**
     * @param target    the process
     * @param since     the snapshot
     * @param log       the trace, covering at least the events after the snapshot
     * @param now       the handle table now, or null when the source has none
     * @param tableMark the trace's last order just before {@code now} was read: later events only say what
     *                  happened to the table's handles afterwards (a first CLOSE: it was closed since, so not
     *                  outstanding; a first OPEN: the handle was made while the table was read)
     * @param time      when the diff is taken
     */
    public static Diff compute(TargetInfo target, Snapshot since, TraceLog log, HandleTable now, long tableMark, Instant time) {
        List<TraceEvent> newEvents = log.after(since.traceMark());
        // handle value -> most recent OPEN after the snapshot (up to the table) that no later CLOSE ended
        LongObjectMap<TraceEvent> openAfter = new LongObjectMap<>(1024);
        // handle value -> newest CLOSE after the snapshot with no OPEN after it (only needed with tables)
        LongObjectMap<TraceEvent> closedAfter = now == null ? null : new LongObjectMap<>(1024);
        // handle value -> its first and second events after the table's mark (only needed with tables)
        LongObjectMap<TraceEvent> firstAfterTable = now == null ? null : new LongObjectMap<>(64);
        LongObjectMap<TraceEvent> secondAfterTable = now == null ? null : new LongObjectMap<>(64);
        // handle value -> OPENs before the one in openAfter that no CLOSE ended (rare: the trace's order is in doubt)
        LongObjectMap<List<TraceEvent>> rivals = new LongObjectMap<>(16);
        // thread id -> the order of its newest event before the table's mark (only needed with tables): a thread that
        // made another call after a CLOSE had finished that close when the table was read
        LongObjectMap<long[]> newestOfThread = now == null ? null : new LongObjectMap<>(64);
        int lastTid = 0; // the last thread seen, and its entry: events come in runs of one thread, so no lookup per event
        long[] lastNewest = null;
        for (TraceEvent e : newEvents) {
            if (now != null && e.order() > tableMark) {
                if (firstAfterTable.get(e.handle()) == null) firstAfterTable.put(e.handle(), e);
                else if (secondAfterTable.get(e.handle()) == null) secondAfterTable.put(e.handle(), e);
                continue;
            }
            if (newestOfThread != null && e.tid() > 0) {
                if (e.tid() != lastTid || lastNewest == null) {
                    lastTid = e.tid();
                    lastNewest = newestOfThread.get(lastTid);
                    if (lastNewest == null) newestOfThread.put(lastTid, lastNewest = new long[1]);
                }
                lastNewest[0] = e.order();
            }
            if (e.kind() == EventKind.OPEN) {
                TraceEvent previous = openAfter.get(e.handle());
                if (previous != null) {
                    List<TraceEvent> r = rivals.get(e.handle());
                    if (r == null) rivals.put(e.handle(), r = new ArrayList<>(2));
                    r.add(previous);
                }
                openAfter.put(e.handle(), e);
                if (closedAfter != null) closedAfter.remove(e.handle());
            } else if (e.kind() == EventKind.CLOSE) {
                openAfter.remove(e.handle());
                rivals.remove(e.handle());
                if (closedAfter != null) closedAfter.put(e.handle(), e);
            }
        }
        // events were lost: a CLOSE seen before the table was read may have been undone by a lost OPEN (even one
        // after the newest event received, where no gap in the orders shows it), so the table decides
        boolean trustCloses = !log.wrapped() && (log.lostEvents() == null || log.lostEvents() == 0);
        List<OutstandingHandle> outstanding = new ArrayList<>(openAfter.size());
        if (now == null) {
            // walking the events again yields the survivors already in the order they were opened
            for (TraceEvent e : newEvents) {
                if (e.kind() == EventKind.OPEN && openAfter.get(e.handle()) == e) outstanding.add(new OutstandingHandle(e.handle(), null, e, false));
            }
        } else {
            Map<Long, HandleEntry> before = since.table() == null ? null : since.table().byHandle();
            for (HandleEntry entry : now.entries()) {
                TraceEvent open = openAfter.get(entry.handle());
                boolean orderingUnknown = false;
                List<TraceEvent> rival = open == null ? null : rivals.get(entry.handle());
                if (rival != null) {
                    TraceEvent same = sameObject(entry, open, rival);
                    if (same != null) open = same;
                    else orderingUnknown = !knowsObject(entry, open, rival);
                }
                // the trace's OPEN was of another object: the one the table holds was opened unseen
                if (open != null && open.refersToOtherThan(entry)) open = null;
                TraceEvent later = firstAfterTable.get(entry.handle());
                // closed right after the table was read: it was transient, not outstanding
                if (later != null && later.kind() == EventKind.CLOSE) continue;
                // not open when the trace reached the table's mark, made while the table was read (and, when
                // closed again at once, only passing through)
                if (open == null && later != null && later.kind() == EventKind.OPEN && !later.refersToOtherThan(entry)) {
                    TraceEvent next = secondAfterTable.get(entry.handle());
                    if (next != null && next.kind() == EventKind.CLOSE) continue;
                    open = later;
                }
                // a handle the trace saw closed before the table was read is not outstanding: engines see a close as
                // it begins, and the table may have been read before it ended. Unless the closing thread made another
                // call before the table was read: then the close had ended, and the table's handle was made since by
                // something the trace does not see (an io_uring open, a descriptor received into memory it cannot read)
                TraceEvent closed = closedAfter.get(entry.handle());
                boolean closedSinceTable = open == null && closed != null && trustCloses && !closeEndedBefore(closed, newestOfThread);
                HandleEntry then = before == null ? null : before.get(entry.handle());
                // another object than at the snapshot under the same value: opened since, also when the trace missed it
                boolean replaced = then != null && then.objectId() != null && entry.objectId() != null && !then.objectId().equals(entry.objectId());
                boolean newSinceSnapshot = before == null ? open != null : !closedSinceTable && (then == null || open != null || replaced);
                if (newSinceSnapshot) outstanding.add(new OutstandingHandle(entry.handle(), entry, open, open == null, orderingUnknown && open != null));
            }
            outstanding.sort(Comparator.comparingLong((OutstandingHandle o) -> o.open() == null ? Long.MAX_VALUE : o.open().order())
                    .thenComparingLong(OutstandingHandle::handle));
        }
        return new Diff(target, since, time, outstanding, newEvents.size(), log.lostEvents());
    }

    /** Whether the thread that made {@code close} made another call after it, before the table was read. */
    private static boolean closeEndedBefore(TraceEvent close, LongObjectMap<long[]> newestOfThread) {
        if (close.tid() <= 0) return false;
        long[] newest = newestOfThread.get(close.tid());
        return newest != null && newest[0] > close.order();
    }

    /** The newest of {@code newest} and its {@code rivals} (oldest first) whose object is the table's, or null. */
    private static TraceEvent sameObject(HandleEntry entry, TraceEvent newest, List<TraceEvent> rivals) {
        if (entry.objectId() == null) return null;
        if (newest.objectId() == entry.objectId()) return newest;
        for (int i = rivals.size() - 1; i >= 0; i--) {
            if (rivals.get(i).objectId() == entry.objectId()) return rivals.get(i);
        }
        return null;
    }

    /** True when the table and every candidate OPEN name their object: then none matching is a fact, not a doubt. */
    private static boolean knowsObject(HandleEntry entry, TraceEvent newest, List<TraceEvent> rivals) {
        if (entry.objectId() == null || newest.objectId() == TraceEvent.NO_OBJECT) return false;
        for (TraceEvent r : rivals) {
            if (r.objectId() == TraceEvent.NO_OBJECT) return false;
        }
        return true;
    }
}
