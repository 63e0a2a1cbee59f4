package dev.jhtrace.perf;

import dev.jhtrace.gdb.proc.FdTypes;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;

import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns perf samples, in kernel time order, into OPEN and CLOSE {@link TraceEvent}s whose order is the kernel time
 * stamp, so events of every thread and CPU share one order.
 *
 * <p>It replays each process's descriptor table (which numbers are open) from a starting table and the events: pipe,
 * pipe2 and socketpair write their two descriptors to user memory that a tracepoint cannot read, and the kernel gives
 * the two lowest free numbers, which the replayed table names. Every call that takes the lowest free number also
 * corrects the replay: all numbers below the one it got are open. That table misses what no tracepoint shows (descriptors
 * received with SCM_RIGHTS or made by io_uring, and O_CLOEXEC descriptors closed at exec), so a pipe made after one of
 * those may be given wrong numbers; the diff is anchored on /proc, which keeps such a mistake from adding handles.
 * Not thread-safe: one decoder per perf stream.
 */
final class PerfDecoder {
    private static final int MAX_PENDING_FORKS = 4096;
    private static final int MAX_TABLES = 4096;
    /** Calls that take the lowest free number (all but dup2/dup3, which name theirs, and fcntl, which takes one above a minimum). */
    private static final java.util.Set<String> LOWEST_FREE = java.util.Set.copyOf(Tracepoints.RETURNING_FD.stream()
            .filter(c -> !c.equals("dup2") && !c.equals("dup3")).toList());
    private final IntFunction<BitSet> startingTable;
    private final long epochOffsetNanos;
    private final Sink sink;
    // the replayed table per process, least recently used dropped first: a forking server's exited children must not
    // accumulate (one dropped and seen again is seeded anew)
    private final Map<Integer, BitSet> tables = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, BitSet> eldest) {
            return size() > MAX_TABLES;
        }
    };
    // a fork's child id (a thread's or a process's: not known until it makes a call) -> its parent's table then
    private final Map<Integer, BitSet> forks = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, BitSet> eldest) {
            return size() > MAX_PENDING_FORKS; // children of threads that never call: bounded
        }
    };
    // threads inside fcntl(F_DUPFD*), dup* (-> the descriptor copied) or an fd-returning bpf() (-> -1)
    private final Map<Integer, Long> copying = new HashMap<>();
    // pid -> the type of each descriptor the trace saw opened, for the copies dup and fcntl make of it (bounded as tables)
    private final Map<Integer, Map<Long, String>> types = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Map<Long, String>> eldest) {
            return size() > MAX_TABLES;
        }
    };

    /**
     * @param startingTable    the descriptors open in a process when it is first seen (its /proc table, or empty)
     * @param epochOffsetNanos added to a CLOCK_MONOTONIC time stamp to give the time since the epoch
     * @param sink             receives the events, in order, each OPEN with the type its call creates, a copy (dup, fcntl) its
     *                         original's when the trace saw that opened (else null, as for pidfd_getfd), and its raw stack
     */
    PerfDecoder(IntFunction<BitSet> startingTable, long epochOffsetNanos, Sink sink) {
        this.startingTable = startingTable;
        this.epochOffsetNanos = epochOffsetNanos;
        this.sink = sink;
    }

    /** One sample. */
    void accept(TraceSample s) {
        String event = s.event();
        if (event.equals("sched_process_fork")) {
            long child = s.number("child_pid");
            if (child > 0) forks.put((int) child, (BitSet) table(s.pid()).clone());
            return;
        }
        if (event.equals("sys_enter_close")) {
            close(s, s.number("fd"));
            return;
        }
        if (event.equals("sys_enter_close_range")) {
            long first = s.number("fd");
            long last = s.number("max_fd");
            if (last < 0 || last >= 0xffffffffL) last = Long.MAX_VALUE; // ~0U: up to the highest open descriptor
            long flags = s.number("flags");
            if (first < 0 || (flags & 4) != 0) return; // CLOSE_RANGE_CLOEXEC closes nothing now
            BitSet t = table(s.pid());
            for (int fd = t.nextSetBit((int) Math.min(first, Integer.MAX_VALUE)); fd >= 0 && fd <= last; fd = t.nextSetBit(fd + 1)) close(s, fd);
            return;
        }
        if (event.equals("sys_enter_fcntl")) {
            // every fcntl entry is recorded: a failed F_DUPFD has no exit, and must not make the next fcntl's a copy
            long cmd = s.number("cmd");
            if (Tracepoints.isDupfd(cmd)) copying.put(s.tid(), s.number("fd"));
            else copying.remove(s.tid());
            return;
        }
        if (event.equals("sys_enter_bpf")) {
            copying.put(s.tid(), -1L);
            return;
        }
        if (event.equals("sys_enter_dup")) {
            copying.put(s.tid(), s.number("fildes"));
            return;
        }
        if (event.equals("sys_enter_dup2") || event.equals("sys_enter_dup3")) {
            copying.put(s.tid(), s.number("oldfd"));
            return;
        }
        if (!event.startsWith("sys_exit_")) return;
        String call = event.substring("sys_exit_".length());
        long ret = s.number("ret");
        if (ret < 0) return; // the kernel filter already drops failures
        BitSet t = table(s.pid());
        if (Tracepoints.RETURNING_PAIR.contains(call)) {
            int a = t.nextClearBit(0);
            int b = t.nextClearBit(a + 1);
            open(s, call, a);
            open(s, call, b);
        } else if (call.equals("fcntl") || call.equals("bpf")) {
            if (copying.containsKey(s.tid())) open(s, call, ret);
        } else if ((call.equals("signalfd") || call.equals("signalfd4")) && ret < Integer.MAX_VALUE && t.get((int) ret)) {
            // signalfd on an existing signalfd changes its mask and returns it: nothing new
        } else {
            if (LOWEST_FREE.contains(call) && ret < Integer.MAX_VALUE) {
                // the kernel gave the lowest free number: every one below it is open now, whatever the replay thought
                t.set(0, (int) ret);
            }
            open(s, call, ret);
        }
    }

    private void open(TraceSample s, String call, long fd) {
        if (fd < Integer.MAX_VALUE) table(s.pid()).set((int) fd);
        Map<Long, String> known = types.computeIfAbsent(s.pid(), p -> new HashMap<>());
        String type = typeOf(call);
        Long copied = copying.remove(s.tid());
        if (type == null && copied != null) type = known.get(copied); // a copy is of its original's type
        if (type != null) known.put(fd, type);
        else known.remove(fd);
        sink.accept(new TraceEvent(s.monoNanos(), EventKind.OPEN, fd, s.pid(), s.tid(), s.monoNanos() + epochOffsetNanos, StackTrace.EMPTY),
                type, s.stack());
    }

    private void close(TraceSample s, long fd) {
        if (fd < 0 || fd >= Integer.MAX_VALUE) return;
        table(s.pid()).clear((int) fd);
        Map<Long, String> known = types.get(s.pid());
        if (known != null) known.remove(fd);
        sink.accept(new TraceEvent(s.monoNanos(), EventKind.CLOSE, fd, s.pid(), s.tid(), s.monoNanos() + epochOffsetNanos, StackTrace.EMPTY), null, null);
    }

    private BitSet table(int pid) {
        return tables.computeIfAbsent(pid, p -> {
            BitSet forked = forks.remove(p);
            return forked != null ? forked : startingTable.apply(p);
        });
    }

    /** Where decoded events go. */
    interface Sink {
        /**
         * @param event an OPEN or CLOSE, its stack empty (unwound later from {@code stack}, when it is needed)
         * @param type  the type an OPEN's call creates, or null
         * @param stack an OPEN's raw sample, or null (a close, or recorded without a call graph)
         */
        void accept(TraceEvent event, String type, RawStack stack);
    }

    /** The descriptor type (as /proc listings name it) a creating call makes, or null when the call does not tell. */
    static String typeOf(String call) {
        return switch (call) {
            case "open", "openat", "openat2", "creat" -> FdTypes.FILE; // or a directory or device: /proc tells while it runs
            case "socket", "accept", "accept4", "socketpair" -> FdTypes.SOCKET;
            case "pipe", "pipe2" -> FdTypes.PIPE;
            case "eventfd", "eventfd2" -> FdTypes.EVENT_FD;
            case "timerfd_create" -> FdTypes.TIMER_FD;
            case "signalfd", "signalfd4" -> FdTypes.SIGNAL_FD;
            case "epoll_create", "epoll_create1" -> FdTypes.EVENT_POLL;
            case "inotify_init", "inotify_init1" -> FdTypes.INOTIFY;
            case "fanotify_init" -> FdTypes.FANOTIFY;
            case "memfd_create" -> FdTypes.MEM_FD;
            case "pidfd_open" -> FdTypes.PID_FD;
            case "perf_event_open", "io_uring_setup", "userfaultfd", "bpf" -> FdTypes.ANON_INODE;
            default -> null;
        };
    }
}
