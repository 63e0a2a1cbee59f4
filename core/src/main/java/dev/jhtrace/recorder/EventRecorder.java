package dev.jhtrace.recorder;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.TraceRetention;
import dev.jhtrace.spi.TraceTrimming;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The trace of one target as jhtrace holds it, whatever the engine: the events an engine delivered, oldest
 * first, their stacks interned, with the counts and losses a {@link dev.jhtrace.spi.HandleTracing} reports.
 * <ul>
 *   <li>Orders: the engine's own (gdb numbers events in its buffer, so a gap shows where events were lost),
 *   or assigned here one after the other ({@link RawEvent#NEXT_ORDER}); they must increase.</li>
 *   <li>Memory: a capture forgets what it recorded ({@link #discardThrough}); in any case at most
 *   {@link TraceRetention#maxRetainedEvents()} events are kept: when full, the settled pairs (an OPEN and the CLOSE
 *   that ended it) are forgotten first ({@link #settledForgotten}), and only when that is not enough the oldest are
 *   dropped and counted as lost. The stack table starts afresh whenever no retained event refers to it.</li>
 *   <li>Losses: known ones (the engine's buffer overflowed: {@link #engineLost}; the retention bound) are
 *   counted; a loss of unknown size (a ring that wrapped unread: {@link #unknownLoss}) makes the count unknown.</li>
 *   <li>{@link #log()} copies the retained events only when something changed since the last copy.</li>
 * </ul>
 * Thread-safe: engines add from their poll thread while callers read.
 *
 * <p>The events are held column by column in blocks, not as one {@link TraceEvent} each: an engine delivering hundreds
 * of thousands of events a second ({@link #add(long, EventKind, long, int, int, long)}) allocates nothing per event, and
 * the columns lie outside the heap (41 bytes an event), so a collection neither traces a million small objects nor
 * copies the events (the perf engine lost events while young collections copied them). Only each event's stack
 * reference is on the heap. {@link #log()} makes the events, when asked.
 */
public final class EventRecorder implements TraceTrimming {
    private static final EventKind[] KINDS = EventKind.values();
    private static final int BLOCK = 1024; // events per block: small, as --all keeps a recorder per process
    private static final int MAX_SPARE_BLOCKS = 64; // 65,536 events' room, 2.6 MB
    private final TraceRetention retention;
    // the retained events, oldest first, in blocks of BLOCK: the i-th at position first + i, of blocks.get(p / BLOCK)
    private final ArrayList<Block> blocks = new ArrayList<>();
    // blocks emptied, for the next ones needed: a full recorder, or a capture forgetting what it recorded round after
    // round, allocates nothing (a dropped block's memory outside the heap is only freed once a collection finds it)
    private final ArrayDeque<Block> spares = new ArrayDeque<>();
    private int first;
    private int size;
    private StackTable stacks = new StackTable();
    private TraceLog logCopy; // the last log() answer while nothing changed
    private long lastOrder = Snapshot.BEFORE_FIRST_EVENT;
    private long eventCount;
    private long engineLost;
    private long droppedOldest;
    private long settledForgotten;
    private long nextSettling; // a full recorder's next pass over its settled pairs, by eventCount
    private static final int CONTESTED = 1 << 30; // an OPEN's index so marked: another OPEN of its handle came before it
    private boolean unknownLoss;

    /** A recorder keeping at most {@code retention.maxRetainedEvents()} events. */
    public EventRecorder(TraceRetention retention) {
        this.retention = retention;
    }

    /**
     * Keeps one event, dropping the oldest when the retention bound is reached.
     *
     * @return the event as kept (order assigned, stack interned)
     * @throws IllegalArgumentException when the engine's order does not increase
     */
    public synchronized TraceEvent add(RawEvent raw) {
        return add(raw, null);
    }

    /**
     * Keeps one event whose stack the engine delivers already resolved (perf symbolizes as it unwinds), as
     * {@link #add(RawEvent)} does otherwise; {@code resolved} null: the raw event's addresses.
     */
    public synchronized TraceEvent add(RawEvent raw, StackTrace resolved) {
        long order = raw.order() == RawEvent.NEXT_ORDER ? lastOrder + 1 : raw.order();
        if (order <= lastOrder) throw new IllegalArgumentException("trace orders must increase: " + order + " after " + lastOrder);
        StackTrace stack = resolved != null ? (resolved.isEmpty() ? StackTrace.EMPTY : stacks.intern(resolved))
                : raw.addresses().length == 0 ? StackTrace.EMPTY : stacks.intern(raw.addresses());
        keep(order, raw.kind(), raw.handle(), raw.pid(), raw.tid(), raw.epochNanos(), stack, raw.objectId(), false);
        return new TraceEvent(order, raw.kind(), raw.handle(), raw.pid(), raw.tid(), raw.epochNanos(), stack, raw.objectId());
    }

    /**
     * Keeps one event without a stack (yet: see {@link #restack}) or object, as {@link #add(RawEvent)} does, allocating
     * nothing: for an engine delivering events by the hundred thousand a second.
     *
     * @param order the engine's order, or {@link RawEvent#NEXT_ORDER}
     * @return the order the event was kept under
     * @throws IllegalArgumentException when the engine's order does not increase
     */
    public synchronized long add(long order, EventKind kind, long handle, int pid, int tid, long epochNanos) {
        return add(order, kind, handle, pid, tid, epochNanos, false);
    }

    /**
     * Keeps one event as {@link #add(long, EventKind, long, int, int, long)} does, marked {@link TraceEvent#inferred()}
     * when {@code inferred}.
     */
    public synchronized long add(long order, EventKind kind, long handle, int pid, int tid, long epochNanos, boolean inferred) {
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (order == RawEvent.NEXT_ORDER) order = lastOrder + 1;
        if (order <= lastOrder) throw new IllegalArgumentException("trace orders must increase: " + order + " after " + lastOrder);
        keep(order, kind, handle, pid, tid, epochNanos, StackTrace.EMPTY, TraceEvent.NO_OBJECT, inferred);
        return order;
    }

    private void keep(long order, EventKind kind, long handle, int pid, int tid, long epochNanos, StackTrace stack, long objectId, boolean inferred) {
        int p = first + size;
        if (p / BLOCK == blocks.size()) {
            Block b = spares.pollFirst();
            blocks.add(b != null ? b : new Block());
        }
        blocks.get(p / BLOCK).set(p % BLOCK, order, kind, handle, pid, tid, epochNanos, stack, objectId, inferred);
        size++;
        lastOrder = order;
        eventCount++;
        logCopy = null;
        if (size > retention.maxRetainedEvents()) {
            if (eventCount >= nextSettling) {
                forgetSettled();
                // at most one pass per quarter of the bound's events: amortized, a few steps per event
                nextSettling = eventCount + Math.max(1, retention.maxRetainedEvents() / 4);
            }
            if (size > retention.maxRetainedEvents()) {
                removeOldest(); // nothing settled to forget: keep the newest, count the rest as lost
                droppedOldest++;
            }
        }
    }

    /**
     * Forgets the settled pairs: an OPEN and the CLOSE that ended it, of the same process and handle. A diff asks the trace
     * only for the OPEN behind each handle still open, so these change no diff, while a process that opens and closes
     * thousands of handles a second between two records of a capture would otherwise push the OPENs of its leaked
     * handles out of the bound, and with them their stacks. Kept: every other event; both events of a pair when one
     * is its thread's newest (what tells that a close had ended before a table was read); and a CLOSE after two OPENs of
     * its handle with none between, with both (the diff's rule for a missed close needs all three).
     */
    private void forgetSettled() {
        if (size >= CONTESTED) return; // indexes carry the mark in a bit of their own
        int[] partner = new int[size];
        java.util.Arrays.fill(partner, -1);
        IndexByKey unclosed = new IndexByKey(); // (pid, handle) -> its newest OPEN no CLOSE ended
        IndexByKey newestOfThread = new IndexByKey();
        int runTid = 0, runEnd = -1; // events come in runs of one thread: one entry per run, not per event
        for (int i = 0; i < size; i++) {
            int p = first + i;
            Block b = blocks.get(p / BLOCK);
            int at = p % BLOCK;
            int tid = b.tid(at);
            if (tid != runTid && runEnd >= 0) newestOfThread.put(runTid, runEnd);
            runTid = tid;
            runEnd = i;
            long handle = b.handle(at);
            if (handle >>> 32 != 0) continue; // not a descriptor or a kernel handle: no pair
            long key = (long) b.pid(at) << 32 | handle;
            EventKind kind = b.kind(at);
            if (kind == EventKind.OPEN) {
                // a second OPEN with no CLOSE between (a close missed): the diff takes the pair's CLOSE as ending both
                if (unclosed.put(key, i) >= 0) unclosed.put(key, i | CONTESTED);
            } else if (kind == EventKind.CLOSE) {
                int open = unclosed.remove(key);
                if (open >= 0 && (open & CONTESTED) == 0) {
                    partner[open] = i;
                    partner[i] = open;
                }
            }
        }
        if (runEnd >= 0) newestOfThread.put(runTid, runEnd);
        newestOfThread.forEachIndex(i -> {
            if (partner[i] >= 0) partner[partner[i]] = partner[i] = -1;
        });
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (partner[i] >= 0) continue;
            if (kept != i) {
                int from = first + i, to = first + kept;
                blocks.get(to / BLOCK).copy(to % BLOCK, blocks.get(from / BLOCK), from % BLOCK);
            }
            kept++;
        }
        if (kept == size) return;
        settledForgotten += size - kept;
        for (int i = kept; i < size; i++) {
            int p = first + i;
            blocks.get(p / BLOCK).stacks[p % BLOCK] = null;
        }
        size = kept;
        int blocksNeeded = size == 0 ? 0 : (first + size - 1) / BLOCK + 1;
        // all kept for reuse, beyond MAX_SPARE_BLOCKS: a recorder full once refills, and allocating its blocks anew
        // (outside the heap) cost three times what the pass does; it holds no more than it held a moment ago
        while (blocks.size() > blocksNeeded) spares.addLast(blocks.remove(blocks.size() - 1));
        if (size == 0) first = 0;
        logCopy = null;
    }

    /** Event indexes by a long key, without boxing (a pass over a million events). Indexes are never negative. */
    private static final class IndexByKey {
        private long[] keys = new long[1024];
        private int[] indexes = new int[1024]; // -1: free
        private int used;

        IndexByKey() {
            java.util.Arrays.fill(indexes, -1);
        }

        private int slot(long key) {
            int mask = keys.length - 1;
            int s = (int) (key * 0x9E3779B97F4A7C15L >>> 40) & mask;
            while (indexes[s] >= 0 && keys[s] != key) s = (s + 1) & mask;
            return s;
        }

        /** Holds {@code index} for {@code key}; returns the index held before, -1 when none. */
        int put(long key, int index) {
            int s = slot(key);
            int previous = indexes[s];
            if (previous < 0) {
                if (++used * 2 > keys.length) {
                    grow();
                    s = slot(key);
                }
                keys[s] = key;
            }
            indexes[s] = index;
            return previous;
        }

        /** The index held for {@code key}, -1 when none; the key is removed. */
        int remove(long key) {
            int s = slot(key);
            int index = indexes[s];
            if (index < 0) return -1;
            indexes[s] = -1;
            used--;
            // re-place the entries after it in its run, so lookups that passed the freed slot still find them
            int mask = keys.length - 1;
            for (int n = (s + 1) & mask; indexes[n] >= 0; n = (n + 1) & mask) {
                long k = keys[n];
                int v = indexes[n];
                indexes[n] = -1;
                int t = slot(k);
                keys[t] = k;
                indexes[t] = v;
            }
            return index;
        }

        void forEachIndex(java.util.function.IntConsumer action) {
            for (int v : indexes) if (v >= 0) action.accept(v);
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldIndexes = indexes;
            keys = new long[oldKeys.length * 2];
            indexes = new int[oldKeys.length * 2];
            java.util.Arrays.fill(indexes, -1);
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldIndexes[i] < 0) continue;
                int s = slot(oldKeys[i]);
                keys[s] = oldKeys[i];
                indexes[s] = oldIndexes[i];
            }
        }
    }

    /** Settled pairs (an OPEN and the CLOSE that ended it) forgotten to stay within the bound: events, not pairs. */
    public synchronized long settledForgotten() {
        return settledForgotten;
    }

    private void removeOldest() {
        blocks.get(0).stacks[first] = null;
        size--;
        if (++first == BLOCK || size == 0) {
            Block emptied = blocks.remove(0);
            if (spares.size() < MAX_SPARE_BLOCKS) spares.addLast(emptied);
            first = 0;
        }
    }

    private long orderAt(int i) {
        int p = first + i;
        return blocks.get(p / BLOCK).order(p % BLOCK);
    }

    private TraceEvent event(int i) {
        int p = first + i;
        return blocks.get(p / BLOCK).event(p % BLOCK);
    }

    /**
     * BLOCK events, column by column: the primitive columns in one buffer outside the heap, so that a young collection
     * copies only the stack references of the blocks filled since the last one, not the events (the perf engine's pauses
     * at 200,000 events/s went from 101–218 ms to 20–81 ms, and perf record stalls while the JVM does).
     */
    private static final class Block {
        private static final int ORDER_AT = 0, HANDLE_AT = ORDER_AT + 8 * BLOCK, TIME_AT = HANDLE_AT + 8 * BLOCK, OBJECT_AT = TIME_AT + 8 * BLOCK,
                PID_AT = OBJECT_AT + 8 * BLOCK, TID_AT = PID_AT + 4 * BLOCK, KIND_AT = TID_AT + 4 * BLOCK, BYTES = KIND_AT + BLOCK;
        private static final int INFERRED = 0x40; // in the kind's byte: TraceEvent.inferred
        private final ByteBuffer columns = ByteBuffer.allocateDirect(BYTES).order(ByteOrder.nativeOrder());
        final StackTrace[] stacks = new StackTrace[BLOCK];

        void set(int at, long order, EventKind kind, long handle, int pid, int tid, long epochNanos, StackTrace stack, long objectId, boolean inferred) {
            columns.putLong(ORDER_AT + 8 * at, order);
            columns.putLong(HANDLE_AT + 8 * at, handle);
            columns.putLong(TIME_AT + 8 * at, epochNanos);
            columns.putLong(OBJECT_AT + 8 * at, objectId);
            columns.putInt(PID_AT + 4 * at, pid);
            columns.putInt(TID_AT + 4 * at, tid);
            columns.put(KIND_AT + at, (byte) (kind.ordinal() | (inferred ? INFERRED : 0)));
            stacks[at] = stack;
        }

        long order(int at) {
            return columns.getLong(ORDER_AT + 8 * at);
        }

        long handle(int at) {
            return columns.getLong(HANDLE_AT + 8 * at);
        }

        int pid(int at) {
            return columns.getInt(PID_AT + 4 * at);
        }

        int tid(int at) {
            return columns.getInt(TID_AT + 4 * at);
        }

        EventKind kind(int at) {
            return KINDS[columns.get(KIND_AT + at) & ~INFERRED];
        }

        /** Event {@code fromAt} of {@code from} put at {@code at} here. */
        void copy(int at, Block from, int fromAt) {
            columns.putLong(ORDER_AT + 8 * at, from.columns.getLong(ORDER_AT + 8 * fromAt));
            columns.putLong(HANDLE_AT + 8 * at, from.columns.getLong(HANDLE_AT + 8 * fromAt));
            columns.putLong(TIME_AT + 8 * at, from.columns.getLong(TIME_AT + 8 * fromAt));
            columns.putLong(OBJECT_AT + 8 * at, from.columns.getLong(OBJECT_AT + 8 * fromAt));
            columns.putInt(PID_AT + 4 * at, from.columns.getInt(PID_AT + 4 * fromAt));
            columns.putInt(TID_AT + 4 * at, from.columns.getInt(TID_AT + 4 * fromAt));
            columns.put(KIND_AT + at, from.columns.get(KIND_AT + fromAt));
            stacks[at] = from.stacks[fromAt];
        }

        TraceEvent event(int at) {
            byte kind = columns.get(KIND_AT + at);
            return new TraceEvent(order(at), KINDS[kind & ~INFERRED], columns.getLong(HANDLE_AT + 8 * at), columns.getInt(PID_AT + 4 * at),
                    columns.getInt(TID_AT + 4 * at), columns.getLong(TIME_AT + 8 * at), stacks[at], columns.getLong(OBJECT_AT + 8 * at),
                    (kind & INFERRED) != 0);
        }
    }

    /**
     * Gives retained events the stacks the engine has resolved since it added them (perf unwinds only the stacks a
     * report needs, after the fact); events no longer retained are left alone.
     *
     * @param byOrder the resolved stack of each event, by its order
     */
    public synchronized void restack(java.util.Map<Long, StackTrace> byOrder) {
        if (byOrder.isEmpty() || size == 0) return;
        boolean changed = false;
        for (int i = 0; i < size; i++) {
            int p = first + i;
            Block b = blocks.get(p / BLOCK);
            StackTrace s = byOrder.get(b.order(p % BLOCK));
            if (s == null) continue;
            b.stacks[p % BLOCK] = s.isEmpty() ? StackTrace.EMPTY : stacks.intern(s);
            changed = true;
        }
        if (changed) logCopy = null; // a log already given keeps its own events
    }
    /** Records how many events the engine's own buffer has lost so far, in total (gdb's in-gdb buffer). */
    public synchronized void engineLost(long total) {
        if (total == engineLost) return;
        engineLost = total;
        logCopy = null;
    }

    /** Records that events were lost in a number nobody knows (a ring wrapped before it was read again). */
    public synchronized void unknownLoss() {
        if (unknownLoss) return;
        unknownLoss = true;
        logCopy = null;
    }

    /** True when nothing was delivered yet. */
    public synchronized boolean isEmpty() {
        return eventCount == 0;
    }

    /**
     * The retained events, with whether any were lost and how many: the engine's and the retention bound's
     * losses, or null when some loss is of unknown size.
     */
    public synchronized TraceLog log() {
        if (logCopy == null) {
            long lost = engineLost + droppedOldest;
            TraceEvent[] copy = new TraceEvent[size];
            for (int i = 0; i < size; i++) copy[i] = event(i);
            logCopy = new TraceLog(List.of(copy), unknownLoss || lost > 0, unknownLoss ? null : lost); // TraceLog keeps this copy as is
        }
        return logCopy;
    }

    /** The retained events newer than {@code order}, oldest first: a copy of those only, not of the whole log. */
    public synchronized List<TraceEvent> eventsAfter(long order) {
        if (order >= lastOrder) return List.of();
        int from = size;
        while (from > 0 && orderAt(from - 1) > order) from--;
        ArrayList<TraceEvent> newer = new ArrayList<>(size - from);
        for (int i = from; i < size; i++) newer.add(event(i));
        return newer;
    }

    /** The order of the newest event delivered ({@link Snapshot#BEFORE_FIRST_EVENT} when none), also when it was since forgotten. */
    public synchronized long lastOrder() {
        return lastOrder;
    }

    /** Every event delivered, also those since forgotten or dropped. */
    public synchronized long eventCount() {
        return eventCount;
    }

    /** Events held in memory now (what the next {@link #log()} copies). */
    public synchronized int retainedEvents() {
        return size;
    }

    /** Forgets the events up to {@code order} (a capture has recorded them). */
    @Override
    public synchronized long discardThrough(long order) {
        long n = 0;
        while (size > 0 && orderAt(0) <= order) {
            removeOldest();
            n++;
        }
        if (n == 0) return 0;
        logCopy = null;
        if (size == 0) stacks = new StackTable(); // no event refers to the interned stacks any more
        return n;
    }
}
