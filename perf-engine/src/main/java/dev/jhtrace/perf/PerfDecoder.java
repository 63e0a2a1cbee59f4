package dev.jhtrace.perf;

import dev.jhtrace.proc.FdTypes;
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
    private int tablePid;
    private BitSet lastTable;
    private int typesPid;
    private Map<Long, String> lastTypes;
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

    /** What a tracepoint is to the decoder, worked out once per tracepoint rather than per sample from its name. */
    private static final class Call {
        static final int OTHER = 0, FORK = 1, CLOSE = 2, CLOSE_RANGE = 3, COPY_ENTER = 4, BPF_ENTER = 5, EXIT = 6, FCNTL_ENTER = 7;
        final int what;
        final String call; // an exit's call, e.g. openat
        final String type; // the descriptor type an exit's call creates, or null
        final boolean pair; // pipe, pipe2, socketpair
        final boolean copyExit; // fcntl, bpf: only when their entry was seen
        final boolean signalfd;
        final boolean lowestFree;
        final TracepointFormat.Field first; // the field read first: child_pid, fd, fildes, oldfd or ret
        final TracepointFormat.Field maxFd;
        final TracepointFormat.Field flags; // close_range's flags, fcntl's cmd

        Call(TracepointFormat f) {
            String event = f.name();
            String name = event.startsWith("sys_exit_") ? event.substring("sys_exit_".length()) : null;
            String firstField = null;
            int w = OTHER;
            switch (event) {
                case "sched_process_fork" -> {
                    w = FORK;
                    firstField = "child_pid";
                }
                case "sys_enter_close" -> {
                    w = CLOSE;
                    firstField = "fd";
                }
                case "sys_enter_close_range" -> {
                    w = CLOSE_RANGE;
                    firstField = "fd";
                }
                case "sys_enter_fcntl" -> {
                    w = FCNTL_ENTER;
                    firstField = "fd";
                }
                case "sys_enter_dup" -> {
                    w = COPY_ENTER;
                    firstField = "fildes";
                }
                case "sys_enter_dup2", "sys_enter_dup3" -> {
                    w = COPY_ENTER;
                    firstField = "oldfd";
                }
                case "sys_enter_bpf" -> w = BPF_ENTER;
                default -> {
                    if (name != null) {
                        w = EXIT;
                        firstField = "ret";
                    }
                }
            }
            what = w;
            call = name;
            type = name == null ? null : typeOf(name);
            pair = name != null && Tracepoints.RETURNING_PAIR.contains(name);
            copyExit = "fcntl".equals(name) || "bpf".equals(name);
            signalfd = "signalfd".equals(name) || "signalfd4".equals(name);
            lowestFree = name != null && LOWEST_FREE.contains(name);
            first = firstField == null ? null : f.fields().get(firstField);
            maxFd = w == CLOSE_RANGE ? f.fields().get("max_fd") : null;
            flags = w == CLOSE_RANGE ? f.fields().get("flags") : w == FCNTL_ENTER ? f.fields().get("cmd") : null;
        }

        /** The field's value in the sample; -1 when the tracepoint has no such field. */
        static long read(TracepointFormat.Field field, TraceSample s) {
            return field == null ? -1 : field.number(s.record(), s.rawOffset());
        }
    }

    private final Map<TracepointFormat, Call> calls = new java.util.IdentityHashMap<>();

    private Call call(TracepointFormat f) {
        Call c = calls.get(f);
        if (c == null) calls.put(f, c = new Call(f));
        return c;
    }

    /** One sample. */
    void accept(TraceSample s) {
        Call c = call(s.format());
        switch (c.what) {
            case Call.FORK -> {
                long child = Call.read(c.first, s);
                if (child > 0) forks.put((int) child, (BitSet) table(s.pid()).clone());
            }
            case Call.CLOSE -> close(s, Call.read(c.first, s));
            case Call.CLOSE_RANGE -> {
                long first = Call.read(c.first, s);
                long last = Call.read(c.maxFd, s);
                if (last < 0 || last >= 0xffffffffL) last = Long.MAX_VALUE; // ~0U: up to the highest open descriptor
                long flags = Call.read(c.flags, s);
                if (first < 0 || (flags & 4) != 0) return; // CLOSE_RANGE_CLOEXEC closes nothing now
                BitSet t = table(s.pid());
                for (int fd = t.nextSetBit((int) Math.min(first, Integer.MAX_VALUE)); fd >= 0 && fd <= last; fd = t.nextSetBit(fd + 1)) close(s, fd);
            }
            case Call.COPY_ENTER -> copying.put(s.tid(), Call.read(c.first, s));
            case Call.FCNTL_ENTER -> {
                // every fcntl entry is recorded: a failed F_DUPFD has no exit, and must not make the next fcntl's a copy
                if (Tracepoints.isDupfd(Call.read(c.flags, s))) copying.put(s.tid(), Call.read(c.first, s));
                else copying.remove(s.tid());
            }
            case Call.BPF_ENTER -> copying.put(s.tid(), -1L);
            case Call.EXIT -> exit(s, c);
            default -> {
                // a tracepoint of no descriptor (exec: the process's name, taken by the tracing)
            }
        }
    }

    private void exit(TraceSample s, Call c) {
        long ret = Call.read(c.first, s);
        if (ret < 0) return; // the kernel filter already drops failures
        BitSet t = table(s.pid());
        if (c.pair) {
            int a = t.nextClearBit(0);
            int b = t.nextClearBit(a + 1);
            open(s, c, a, t);
            open(s, c, b, t);
        } else if (c.copyExit) {
            if (copying.containsKey(s.tid())) open(s, c, ret, t);
        } else if (c.signalfd && ret < Integer.MAX_VALUE && t.get((int) ret)) {
            // signalfd on an existing signalfd changes its mask and returns it: nothing new
        } else {
            if (c.lowestFree && ret < Integer.MAX_VALUE) {
                // the kernel gave the lowest free number: every one below it is open now, whatever the replay thought
                t.set(0, (int) ret);
            }
            open(s, c, ret, t);
        }
    }

    private void open(TraceSample s, Call c, long fd, BitSet table) {
        if (fd < Integer.MAX_VALUE) table.set((int) fd);
        Map<Long, String> known = types(s.pid(), true);
        String type = c.type;
        Long copied = copying.isEmpty() ? null : copying.remove(s.tid());
        if (type == null && copied != null) type = known.get(copied); // a copy is of its original's type
        if (type != null) known.put(fd, type);
        else known.remove(fd);
        sink.accept(EventKind.OPEN, s.monoNanos(), fd, s.pid(), s.tid(), s.monoNanos() + epochOffsetNanos, type, s.stack());
    }

    private void close(TraceSample s, long fd) {
        if (fd < 0 || fd >= Integer.MAX_VALUE) return;
        table(s.pid()).clear((int) fd);
        Map<Long, String> known = types(s.pid(), false);
        if (known != null) known.remove(fd);
        sink.accept(EventKind.CLOSE, s.monoNanos(), fd, s.pid(), s.tid(), s.monoNanos() + epochOffsetNanos, null, null);
    }

    private BitSet table(int pid) {
        // the last process's, without boxing its pid: most samples in a row are one process's. It is the most recently
        // used table, so never the one the bound drops.
        if (pid == tablePid && lastTable != null) return lastTable;
        BitSet t = tables.computeIfAbsent(pid, p -> {
            BitSet forked = forks.remove(p);
            return forked != null ? forked : startingTable.apply(p);
        });
        tablePid = pid;
        lastTable = t;
        return t;
    }

    /** The types of a process's descriptors; null when none are known and {@code create} is false. */
    private Map<Long, String> types(int pid, boolean create) {
        if (pid == typesPid && lastTypes != null) return lastTypes;
        Map<Long, String> known = create ? types.computeIfAbsent(pid, p -> new HashMap<>()) : types.get(pid);
        if (known != null) {
            typesPid = pid;
            lastTypes = known;
        }
        return known;
    }

    /** Where decoded events go. */
    interface Sink {
        /**
         * @param event an OPEN or CLOSE, its stack empty (unwound later from {@code stack}, when it is needed)
         * @param type  the type an OPEN's call creates, or null
         * @param stack an OPEN's raw sample, or null (a close, or recorded without a call graph)
         */
        void accept(TraceEvent event, String type, RawStack stack);

        /**
         * The same event in its fields, which the decoder calls: a sink that keeps them as they are (the tracing's,
         * into a recorder) makes no object per event.
         */
        default void accept(EventKind kind, long monoNanos, long fd, int pid, int tid, long epochNanos, String type, RawStack stack) {
            accept(new TraceEvent(monoNanos, kind, fd, pid, tid, epochNanos, StackTrace.EMPTY), type, stack);
        }
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
