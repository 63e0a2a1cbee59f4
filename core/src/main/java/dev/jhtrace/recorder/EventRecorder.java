package dev.jhtrace.recorder;

import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.TraceRetention;
import dev.jhtrace.spi.TraceTrimming;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The trace of one target as jhtrace holds it, whatever the engine: the events an engine delivered, oldest
 * first, their stacks interned, with the counts and losses a {@link dev.jhtrace.spi.HandleTracing} reports.
 * <ul>
 *   <li>Orders: the engine's own (gdb numbers events in its buffer, so a gap shows where events were lost),
 *   or assigned here one after the other ({@link RawEvent#NEXT_ORDER}); they must increase.</li>
 *   <li>Memory: a capture forgets what it recorded ({@link #discardThrough}); in any case at most
 *   {@link TraceRetention#maxRetainedEvents()} events are kept, the oldest dropped and counted as lost. The
 *   stack table starts afresh whenever no retained event refers to it.</li>
 *   <li>Losses: known ones (the engine's buffer overflowed: {@link #engineLost}; the retention bound) are
 *   counted; a loss of unknown size (a ring that wrapped unread: {@link #unknownLoss}) makes the count unknown.</li>
 *   <li>{@link #log()} copies the retained events only when something changed since the last copy.</li>
 * </ul>
 * Thread-safe: engines add from their poll thread while callers read.
 */
public final class EventRecorder implements TraceTrimming {
    private final TraceRetention retention;
    private ArrayDeque<TraceEvent> events = new ArrayDeque<>(); // retained, oldest first
    private StackTable stacks = new StackTable();
    private TraceLog logCopy; // the last log() answer while nothing changed
    private long lastOrder = Snapshot.BEFORE_FIRST_EVENT;
    private long eventCount;
    private long engineLost;
    private long droppedOldest;
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
        TraceEvent e = new TraceEvent(order, raw.kind(), raw.handle(), raw.pid(), raw.tid(), raw.epochNanos(), stack, raw.objectId());
        events.addLast(e);
        lastOrder = order;
        eventCount++;
        logCopy = null;
        if (events.size() > retention.maxRetainedEvents()) {
            events.removeFirst(); // nobody trimmed: keep the newest, count the rest as lost
            droppedOldest++;
        }
        return e;
    }

    /**
     * Gives retained events the stacks the engine has resolved since it added them (perf unwinds only the stacks a
     * report needs, after the fact); events no longer retained are left alone.
     *
     * @param byOrder the resolved stack of each event, by its order
     */
    public synchronized void restack(java.util.Map<Long, StackTrace> byOrder) {
        if (byOrder.isEmpty() || events.isEmpty()) return;
        ArrayDeque<TraceEvent> restacked = new ArrayDeque<>(events.size());
        boolean changed = false;
        for (TraceEvent e : events) {
            StackTrace s = byOrder.get(e.order());
            if (s == null) {
                restacked.addLast(e);
                continue;
            }
            restacked.addLast(new TraceEvent(e.order(), e.kind(), e.handle(), e.pid(), e.tid(), e.epochNanos(), s.isEmpty() ? StackTrace.EMPTY : stacks.intern(s), e.objectId()));
            changed = true;
        }
        if (!changed) return;
        events = restacked;
        logCopy = null;
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
            logCopy = new TraceLog(List.copyOf(events), unknownLoss || lost > 0, unknownLoss ? null : lost); // TraceLog keeps this copy as is
        }
        return logCopy;
    }

    /** The retained events newer than {@code order}, oldest first: a copy of those only, not of the whole log. */
    public synchronized List<TraceEvent> eventsAfter(long order) {
        if (order >= lastOrder) return List.of();
        ArrayList<TraceEvent> newer = new ArrayList<>();
        for (Iterator<TraceEvent> it = events.descendingIterator(); it.hasNext(); ) {
            TraceEvent e = it.next();
            if (e.order() <= order) break;
            newer.add(e);
        }
        Collections.reverse(newer);
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
        return events.size();
    }

    /** Forgets the events up to {@code order} (a capture has recorded them). */
    @Override
    public synchronized long discardThrough(long order) {
        long n = 0;
        while (!events.isEmpty() && events.peekFirst().order() <= order) {
            events.removeFirst();
            n++;
        }
        if (n == 0) return 0;
        logCopy = null;
        if (events.isEmpty()) stacks = new StackTable(); // no event refers to the interned stacks any more
        return n;
    }
}
