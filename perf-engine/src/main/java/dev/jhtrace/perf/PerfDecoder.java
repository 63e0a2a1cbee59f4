package dev.jhtrace.perf;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.proc.FdTypes;

import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns perf samples, in kernel time order, into OPEN and CLOSE {@link TraceEvent}s whose order is the kernel time
 * stamp, so events of every thread and CPU share one order.
 *
 * <p>It replays each process's descriptor table (which numbers are open, and which of them are close-on-exec) from a
 * starting table (/proc, its fdinfo flags) and the events: pipe, pipe2 and socketpair write their two descriptors to
 * user memory that a tracepoint cannot read, and the kernel gives the two lowest free numbers, which the replayed
 * table names. Every call that takes the lowest free number also corrects the replay: all numbers below the one it got
 * are open.
 *
 * <p>Changes no syscall exit shows are worked out from what the samples carry ({@link UserRegisters}: a creating exit is
 * recorded with a DWARF stack sample, whose user registers still hold the call's arguments):
 * <ul>
 *   <li>Close-on-exec: the flag each creating call was given (O_CLOEXEC, SOCK_CLOEXEC, EFD_ ... MFD_CLOEXEC,
 *       PERF_FLAG_FD_CLOEXEC; openat2's from its struct open_how when that lies in the stack copy; always for pidfd_open,
 *       pidfd_getfd, io_uring_setup, bpf and F_DUPFD_CLOEXEC), changed by fcntl(F_SETFD) and ioctl(FIOCLEX, FIONCLEX) at
 *       their entry and by close_range(CLOSE_RANGE_CLOEXEC); a fork's child copies its parent's. At an exec
 *       (sched_process_exec) every close-on-exec descriptor gets a CLOSE, as the gdb engine records them. A descriptor
 *       whose flag is not known (its sample recorded without registers, or numbers the lowest-free correction found
 *       open) stays open at an exec, as all did before.</li>
 *   <li>SCM_RIGHTS: a recvmsg or recvmmsg exit's registers give its msghdr; when that and its control data lie in the
 *       sample's user stack copy (a caller's locals, usually), each descriptor its SCM_RIGHTS messages carried gets an
 *       OPEN with that sample's stack. Elsewhere (the heap) they are counted ({@link #unreadReceives()}) and inferred:
 *       the kernel installs them at the lowest free numbers, so when a later call that takes the lowest free number
 *       shows numbers open that the replay held free and no traced call touched since, and a single unread receive
 *       can have made them, they get an OPEN with that receive's stack ({@link UnreadReceives}); when two could have,
 *       none ({@link #unattributedReceived()}). A /proc listing of the process ({@link #listed}: the tracing takes one
 *       when perf starts recording and at each log) shows them too, applied at its moment in the stream; it also
 *       makes a table read from /proc apart from the stream exact, which until then attributes nothing.</li>
 * </ul>
 * Not seen: descriptors made or closed by io_uring operations, and SCM_RIGHTS received outside the stack copy that no
 * later call shows or that an ambiguous receive took, so a pipe made after one of those may be given wrong numbers;
 * the diff is anchored on /proc, which keeps such a mistake from adding handles. Not thread-safe: one decoder per perf
 * stream.
 */
final class PerfDecoder {
    private static final int MAX_PENDING_FORKS = 4096;
    private static final int MAX_TABLES = 4096;
    private static final int MAX_LISTINGS = 16;
    /** Calls that take the lowest free number (all but dup2/dup3, which name theirs, and fcntl, which takes one above a minimum). */
    private static final java.util.Set<String> LOWEST_FREE = java.util.Set.copyOf(Tracepoints.RETURNING_FD.stream()
            .filter(c -> !c.equals("dup2") && !c.equals("dup3")).toList());
    private static final long O_CLOEXEC = 02000000; // also SOCK_, EFD_, TFD_, SFD_, EPOLL_, IN_CLOEXEC and UFFD_CLOEXEC
    private static final long F_SETFD = 2;
    private static final long FD_CLOEXEC = 1;
    private static final long FIONCLEX = 0x5450;
    private static final long CLOSE_RANGE_CLOEXEC = 4;
    private static final long MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int MSGHDR_BYTES = 56; // struct msghdr on x86-64: msg_control at 32, msg_controllen at 40
    private static final int MMSGHDR_BYTES = 64; // struct mmsghdr: a msghdr, its msg_len, padding
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private final IntFunction<ReplayedTable> startingTable;
    private final Options options;
    private final Map<Long, Long> userRegisterMasks = new HashMap<>(); // tracepoint id -> sample_regs_user
    private volatile long unreadReceives; // written by the decoding thread only: recvmsg messages whose control data lay outside the sample's stack copy
    private volatile long inferredReceived; // written by the decoding thread only: descriptors attributed to an unread receive
    private volatile long unattributedReceived; // ... and those that turned up open while their receive was ambiguous
    private volatile boolean lossSeen; // perf dropped events: the replay may be wrong, so nothing more is inferred
    // /proc listings of a process's open numbers, applied when the stream passes the moment they were read
    private final java.util.concurrent.ConcurrentLinkedQueue<Listing> listings = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile long nextListingNanos = Long.MAX_VALUE; // the earliest moment a queued listing waits for
    private Listing listing; // the decoding thread's: the listing whose read began, and what was a candidate then
    private int tablePid;
    private ReplayedTable lastTable;
    private int typesPid;
    private Map<Long, String> lastTypes;
    private final long epochOffsetNanos;
    private final Sink sink;
    // the replayed table per process, least recently used dropped first: a forking server's exited children must not
    // accumulate (one dropped and seen again is seeded anew)
    private final Map<Integer, ReplayedTable> tables = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ReplayedTable> eldest) {
            if (size() <= MAX_TABLES) return false;
            if (eldest.getValue().unread != null) settle(eldest.getValue().unread, UnreadReceives.NONE); // its held stack goes
            return true;
        }
    };
    // a fork's child id (a thread's or a process's: not known until it makes a call) -> its parent's table then
    private final Map<Integer, ReplayedTable> forks = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ReplayedTable> eldest) {
            return size() > MAX_PENDING_FORKS; // children of threads that never call: bounded
        }
    };
    // threads inside fcntl(F_DUPFD*), dup* (-> the descriptor copied) or an fd-returning bpf() (-> -1)
    private final Map<Integer, Long> copying = new HashMap<>();
    // threads inside fcntl(F_DUPFD_CLOEXEC): their copy is close-on-exec
    private final java.util.Set<Integer> copyingCloseOnExec = new java.util.HashSet<>();
    // pid -> the type of each descriptor the trace saw opened, for the copies dup and fcntl make of it (bounded as tables)
    private final Map<Integer, Map<Long, String>> types = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Map<Long, String>> eldest) {
            return size() > MAX_TABLES;
        }
    };

    /**
     * @param startingTable    the descriptors open in a process when it is first seen (its /proc table, or empty), and
     *                         which of them are close-on-exec
     * @param epochOffsetNanos added to a CLOCK_MONOTONIC time stamp to give the time since the epoch
     * @param sink             receives the events, in order, each OPEN with the type its call creates, a copy (dup, fcntl) its
     *                         original's when the trace saw that opened (else null, as for pidfd_getfd), and its raw stack
     * @param options          which of the changes no syscall exit shows are worked out
     */
    PerfDecoder(IntFunction<ReplayedTable> startingTable, long epochOffsetNanos, Sink sink, Options options) {
        this.startingTable = startingTable;
        this.epochOffsetNanos = epochOffsetNanos;
        this.sink = sink;
        this.options = options;
    }

    /** With every change worked out. */
    PerfDecoder(IntFunction<ReplayedTable> startingTable, long epochOffsetNanos, Sink sink) {
        this(startingTable, epochOffsetNanos, sink, Options.ALL);
    }

    /**
     * Which descriptor changes that no syscall exit shows the decoder works out (each switchable, for the tests that show
     * what it adds).
     *
     * @param closeOnExec         close-on-exec descriptors are closed at an exec (else they stay open, as before)
     * @param receivedDescriptors descriptors received with SCM_RIGHTS are opened, when the control data lies in the
     *                            recvmsg sample's stack copy
     * @param inferredReceives    descriptors received where no sample showed them (the heap) are opened, with their
     *                            receive's stack, when a later call shows them open and only one receive can have
     *                            made them (see {@link UnreadReceives})
     */
    record Options(boolean closeOnExec, boolean receivedDescriptors, boolean inferredReceives) {
        static final Options ALL = new Options(true, true, true);

        /** Received descriptors inferred exactly when they are read. */
        Options(boolean closeOnExec, boolean receivedDescriptors) {
            this(closeOnExec, receivedDescriptors, receivedDescriptors);
        }
    }

    /**
     * The user registers the samples of tracepoint {@code tracepointId} carry (its attribute's {@code sample_regs_user},
     * 0 when none), from the stream's header; before that tracepoint's first sample.
     */
    void userRegisters(long tracepointId, long mask) {
        userRegisterMasks.put(tracepointId, mask);
        calls.clear();
    }

    /**
     * recvmsg and recvmmsg messages whose control data lay outside their sample's stack copy (those whose header lay
     * outside it too may have carried none): any descriptors they carried are seen only when inferred.
     */
    long unreadReceives() {
        return unreadReceives;
    }

    /** Descriptors attributed to an unread receive, inferred from the lowest-free rule (see {@link UnreadReceives}). */
    long inferredReceived() {
        return inferredReceived;
    }

    /** Descriptors that turned up open, unseen, while more than one unread receive could have made them: not attributed. */
    long unattributedReceived() {
        return unattributedReceived;
    }

    /**
     * perf dropped events: the replayed tables may miss what they carried, and a number that turns up open could be
     * a lost event's, so nothing more is attributed to unread receives.
     */
    void lost() {
        if (lossSeen) return;
        lossSeen = true;
        for (ReplayedTable t : tables.values()) if (t.unread != null) settle(t.unread, UnreadReceives.UNKNOWN);
        for (ReplayedTable t : forks.values()) if (t.unread != null) settle(t.unread, UnreadReceives.UNKNOWN);
    }

    /** What a tracepoint is to the decoder, worked out once per tracepoint rather than per sample from its name. */
    private static final class Call {
        static final int OTHER = 0, FORK = 1, CLOSE = 2, CLOSE_RANGE = 3, COPY_ENTER = 4, BPF_ENTER = 5, EXIT = 6, FCNTL_ENTER = 7, EXEC = 8,
                IOCTL_ENTER = 9, RECEIVE = 10;
        final int what;
        final String call; // an exit's call, e.g. openat
        final String type; // the descriptor type an exit's call creates, or null
        final boolean pair; // pipe, pipe2, socketpair
        final boolean copyExit; // fcntl, bpf: only when their entry was seen
        final boolean signalfd;
        final boolean lowestFree;
        final TracepointFormat.Field first; // the field read first: child_pid, fd, fildes, oldfd or ret
        final TracepointFormat.Field maxFd;
        final TracepointFormat.Field flags; // close_range's flags, fcntl's and ioctl's cmd
        final TracepointFormat.Field arg; // fcntl's arg
        final boolean alwaysCloseOnExec; // pidfd_open, pidfd_getfd, io_uring_setup, bpf
        final int cloexecSlot; // where the register holding the call's flags lies in its samples, or -1 (never, or no registers)
        final long cloexecBit; // the close-on-exec bit of those flags
        final boolean cloexecViaPointer; // the register points to the flags (openat2's struct open_how)
        final boolean multiple; // recvmmsg: a vector of messages
        final int count; // registers its samples carry
        final int spSlot, argSlot, flagsSlot; // RECEIVE: the stack pointer's, the message's, the flags'

        Call(TracepointFormat f, long registers) {
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
                case "sched_process_exec" -> w = EXEC;
                case "sys_enter_ioctl" -> {
                    w = IOCTL_ENTER;
                    firstField = "fd";
                }
                case "sys_exit_recvmsg", "sys_exit_recvmmsg" -> {
                    w = RECEIVE;
                    firstField = "ret";
                }
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
            flags = w == CLOSE_RANGE ? f.fields().get("flags") : w == FCNTL_ENTER || w == IOCTL_ENTER ? f.fields().get("cmd") : null;
            arg = w == FCNTL_ENTER ? f.fields().get("arg") : null;
            count = Long.bitCount(registers);
            alwaysCloseOnExec = name != null && switch (name) {
                case "pidfd_open", "pidfd_getfd", "io_uring_setup", "bpf" -> true;
                default -> false;
            };
            // where each call takes the flag that makes its descriptor close-on-exec (x86-64 syscall arguments: rdi,
            // rsi, rdx, r10, r8, r9)
            int reg = -1;
            long bit = O_CLOEXEC;
            boolean pointer = false;
            if (w == EXIT) {
                switch (name) {
                    case "open", "socket", "socketpair", "pipe2", "eventfd2", "timerfd_create" -> reg = UserRegisters.SI;
                    case "openat", "dup3" -> reg = UserRegisters.DX;
                    case "openat2" -> {
                        reg = UserRegisters.DX;
                        pointer = true;
                    }
                    case "accept4", "signalfd4" -> reg = UserRegisters.R10;
                    case "epoll_create1", "inotify_init1", "userfaultfd" -> reg = UserRegisters.DI;
                    case "fanotify_init" -> {
                        reg = UserRegisters.DI;
                        bit = 1; // FAN_CLOEXEC
                    }
                    case "memfd_create" -> {
                        reg = UserRegisters.SI;
                        bit = 1; // MFD_CLOEXEC
                    }
                    case "perf_event_open" -> {
                        reg = UserRegisters.R8;
                        bit = 8; // PERF_FLAG_FD_CLOEXEC
                    }
                    default -> {
                        // never close-on-exec when made (creat, dup, dup2, pipe, accept, eventfd, signalfd ...), or always
                    }
                }
            }
            cloexecSlot = reg < 0 ? -1 : UserRegisters.slot(registers, reg);
            cloexecBit = bit;
            cloexecViaPointer = pointer;
            multiple = "recvmmsg".equals(name);
            spSlot = UserRegisters.slot(registers, UserRegisters.SP);
            argSlot = UserRegisters.slot(registers, UserRegisters.SI);
            flagsSlot = UserRegisters.slot(registers, multiple ? UserRegisters.R10 : UserRegisters.DX);
        }

        /** The field's value in the sample; -1 when the tracepoint has no such field. */
        static long read(TracepointFormat.Field field, TraceSample s) {
            return field == null ? -1 : field.number(s.record(), s.rawOffset());
        }
    }

    private final Map<TracepointFormat, Call> calls = new java.util.IdentityHashMap<>();

    private Call call(TracepointFormat f) {
        Call c = calls.get(f);
        if (c == null) calls.put(f, c = new Call(f, userRegisterMasks.getOrDefault(f.id(), 0L)));
        return c;
    }

    /**
     * /proc listed {@code open} as process {@code pid}'s open numbers, read between {@code fromNanos} and
     * {@code toNanos} (CLOCK_MONOTONIC): when the stream passes that moment, a number the listing shows open, the
     * replay holds free, and no traced call touched since the process's one unread receive nor while the listing was
     * read, is that receive's (see {@link UnreadReceives}). Thread-safe; applied by the decoding thread.
     */
    void listed(int pid, long fromNanos, long toNanos, BitSet open) {
        if (!options.inferredReceives() || lossSeen || listings.size() >= MAX_LISTINGS) return; // bounded: a stalled stream applies none
        listings.add(new Listing(pid, fromNanos, toNanos, open));
        nextListingNanos = Math.min(nextListingNanos, fromNanos);
    }

    /** A /proc listing of a process's open numbers, read between two moments of the stream. */
    private record Listing(int pid, long fromNanos, long toNanos, BitSet open) {
    }

    private BitSet listingCandidates; // the decoding thread's: numbers the listing shows open that the replay held free at its start
    private int listingState; // the process's state then
    private long listingReceive; // ... and its latest unread receive's time

    /** The stream has reached {@code monoNanos} (any sample, the sync helper's too): applies the listings it passed. */
    void passed(long monoNanos) {
        if (monoNanos < nextListingNanos) return; // nothing queued, or not yet: a volatile read per sample
        while (true) {
            if (listing == null) {
                listing = listings.peek();
                if (listing == null) {
                    nextListingNanos = Long.MAX_VALUE;
                    if (listings.isEmpty()) return;
                    continue; // one added meanwhile
                }
                if (monoNanos < listing.fromNanos()) {
                    nextListingNanos = listing.fromNanos();
                    return;
                }
                listingStarted(listing);
            }
            if (monoNanos < listing.toNanos()) {
                nextListingNanos = listing.toNanos();
                return;
            }
            listingEnded(listing);
            listings.poll();
            listing = null;
            listingCandidates = null;
        }
    }

    /** A listing's read began: the replay as it stands, and calls are watched until the read ended. */
    private void listingStarted(Listing l) {
        ReplayedTable t = table(l.pid());
        UnreadReceives u = t.unread;
        if (u == null) u = t.unread = new UnreadReceives(UnreadReceives.NONE);
        u.listening = true;
        u.touchedWhileListed.clear();
        listingState = u.state;
        listingReceive = u.lastReceiveNanos;
        BitSet c = (BitSet) l.open().clone();
        c.andNot(t.open);
        listingCandidates = c;
    }

    /**
     * A listing's read ended. Numbers it showed open that the replay held free all along, untouched while it was read,
     * were open unseen: they are marked open, and when the process had one unread receive, untouched since, and none
     * while the listing was read, they are that receive's. With no receive while it was read, the replay is exact now.
     */
    private void listingEnded(Listing l) {
        BitSet c = listingCandidates;
        ReplayedTable t = table(l.pid());
        UnreadReceives u = t.unread;
        if (u == null || !u.listening) return; // the table was dropped and read anew meanwhile
        u.listening = false;
        c.andNot(t.open);
        c.andNot(u.touchedWhileListed); // touched while read: the listing's answer may be from before or after
        boolean quiet = u.lastReceiveNanos == listingReceive && !lossSeen; // no unread receive while it was read
        boolean attribute = quiet && listingState == UnreadReceives.ONE && u.state == UnreadReceives.ONE;
        for (int fd = c.nextSetBit(0); fd >= 0; fd = c.nextSetBit(fd + 1)) {
            t.open.set(fd);
            if (attribute && !u.touched.get(fd)) {
                inferredReceived++;
                t.closeOnExec.set(fd, u.closeOnExec);
                Map<Long, String> known = types(l.pid(), false);
                if (known != null) known.remove((long) fd);
                sink.accept(EventKind.OPEN, u.monoNanos, fd, l.pid(), u.tid, u.monoNanos + epochOffsetNanos, null, u.stack, true);
            } else if (u.state == UnreadReceives.ONE || u.state == UnreadReceives.AMBIGUOUS) {
                unattributed(l.pid(), fd, u);
            }
        }
        if (quiet) settle(u, UnreadReceives.NONE);
    }

    /** One sample. */
    void accept(TraceSample s) {
        passed(s.monoNanos());
        Call c = call(s.format());
        switch (c.what) {
            case Call.FORK -> {
                long child = Call.read(c.first, s);
                if (child > 0) forks.put((int) child, table(s.pid()).copy());
            }
            case Call.CLOSE -> close(s, Call.read(c.first, s));
            case Call.CLOSE_RANGE -> {
                long first = Call.read(c.first, s);
                long last = Call.read(c.maxFd, s);
                if (last < 0 || last >= 0xffffffffL) last = Long.MAX_VALUE; // ~0U: up to the highest open descriptor
                long flags = Call.read(c.flags, s);
                if (first < 0) return;
                BitSet t = table(s.pid()).open;
                int from = (int) Math.min(first, Integer.MAX_VALUE);
                if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
                    // closes nothing now: marks the range close-on-exec
                    if (!options.closeOnExec()) return;
                    BitSet cloexec = table(s.pid()).closeOnExec;
                    for (int fd = t.nextSetBit(from); fd >= 0 && fd <= last; fd = t.nextSetBit(fd + 1)) cloexec.set(fd);
                    return;
                }
                for (int fd = t.nextSetBit(from); fd >= 0 && fd <= last; fd = t.nextSetBit(fd + 1)) close(s, fd);
            }
            case Call.COPY_ENTER -> copying.put(s.tid(), Call.read(c.first, s));
            case Call.FCNTL_ENTER -> {
                // every fcntl entry is recorded: a failed F_DUPFD has no exit, and must not make the next fcntl's a copy
                long cmd = Call.read(c.flags, s);
                if (Tracepoints.isDupfd(cmd)) copying.put(s.tid(), Call.read(c.first, s));
                else copying.remove(s.tid());
                if (cmd == Tracepoints.F_DUPFD_CLOEXEC) copyingCloseOnExec.add(s.tid());
                else if (!copyingCloseOnExec.isEmpty()) copyingCloseOnExec.remove(s.tid());
                if (cmd == F_SETFD) closeOnExec(s, Call.read(c.first, s), (Call.read(c.arg, s) & FD_CLOEXEC) != 0);
            }
            case Call.IOCTL_ENTER -> closeOnExec(s, Call.read(c.first, s), Call.read(c.flags, s) != FIONCLEX); // FIOCLEX or FIONCLEX
            case Call.EXEC -> {
                if (!options.closeOnExec()) return;
                // the kernel closed every close-on-exec descriptor before this tracepoint
                ReplayedTable t = table(s.pid());
                for (int fd = t.closeOnExec.nextSetBit(0); fd >= 0; fd = t.closeOnExec.nextSetBit(fd + 1)) {
                    if (t.open.get(fd)) close(s, fd);
                    else t.closeOnExec.clear(fd);
                }
            }
            case Call.RECEIVE -> {
                if (options.receivedDescriptors()) received(s, c);
            }
            case Call.BPF_ENTER -> copying.put(s.tid(), -1L);
            case Call.EXIT -> exit(s, c);
            default -> {
                // a tracepoint of no descriptor (exec: the process's name, taken by the tracing)
            }
        }
    }

    /** Sets or clears a descriptor's close-on-exec flag (fcntl F_SETFD, ioctl FIOCLEX/FIONCLEX, at their entry). */
    private void closeOnExec(TraceSample s, long fd, boolean on) {
        if (!options.closeOnExec() || fd < 0 || fd >= Integer.MAX_VALUE) return;
        ReplayedTable t = table(s.pid());
        if (!t.open.get((int) fd)) return; // not open: the call fails
        t.closeOnExec.set((int) fd, on);
    }

    /** Whether the descriptor an exit's call made is close-on-exec, from the flags in its sample's registers. */
    private boolean closeOnExec(TraceSample s, Call c) {
        if (c.alwaysCloseOnExec) return true;
        if (c.copyExit) return !copyingCloseOnExec.isEmpty() && copyingCloseOnExec.remove(s.tid());
        if (c.cloexecSlot < 0 || !UserRegisters.present(s)) return false; // not told: stays open at an exec
        long flags = UserRegisters.read(s, c.cloexecSlot);
        if (c.cloexecViaPointer) {
            // openat2's struct open_how: its u64 flags first, found only when the struct is in the stack copy
            int at = c.spSlot < 0 ? -1 : UserRegisters.inStack(s, c.count, UserRegisters.read(s, c.spSlot), flags, 8);
            if (at < 0) return false;
            flags = Le.u64(s.record(), at);
        }
        return (flags & c.cloexecBit) != 0;
    }

    /**
     * recvmsg or recvmmsg: the descriptors SCM_RIGHTS control messages carried, read from the sample's copy of the user
     * stack when the messages' headers and control data lie in it (a caller's locals, usually). Elsewhere (the heap)
     * they are not seen, and counted in {@link #unreadReceives()}.
     */
    private void received(TraceSample s, Call c) {
        long ret = Call.read(c.first, s);
        if (ret < 0 || c.spSlot < 0 || c.argSlot < 0 || !UserRegisters.present(s)) return;
        long sp = UserRegisters.read(s, c.spSlot);
        long message = UserRegisters.read(s, c.argSlot);
        boolean cloexec = c.flagsSlot >= 0 && (UserRegisters.read(s, c.flagsSlot) & MSG_CMSG_CLOEXEC) != 0;
        long messages = c.multiple ? Math.min(ret, 1024) : 1;
        byte[] r = s.record();
        boolean unread = false;
        for (long i = 0; i < messages; i++) {
            int header = UserRegisters.inStack(s, c.count, sp, message + i * MMSGHDR_BYTES, MSGHDR_BYTES);
            if (header < 0) {
                unreadReceives++;
                unread = true;
                continue;
            }
            long control = Le.u64(r, header + 32);
            long length = Le.u64(r, header + 40); // what the kernel wrote back: the control data received
            if (control == 0 || length < 16) continue; // none
            int at = UserRegisters.inStack(s, c.count, sp, control, length);
            if (at < 0) {
                unreadReceives++;
                unread = true;
                continue;
            }
            rights(s, c, r, at, (int) length, cloexec);
        }
        if (unread && options.inferredReceives() && !lossSeen) unreadReceive(s, cloexec);
    }

    /**
     * A receive whose control data no sample showed: the first since the replay was exact is remembered, with its
     * stack, for what later turns up open; a second makes them ambiguous (nothing then tells whose a number is).
     */
    private void unreadReceive(TraceSample s, boolean cloexec) {
        ReplayedTable t = table(s.pid());
        UnreadReceives u = t.unread;
        if (u == null) u = t.unread = new UnreadReceives(UnreadReceives.NONE);
        u.lastReceiveNanos = s.monoNanos();
        if (u.state == UnreadReceives.AMBIGUOUS || u.state == UnreadReceives.UNKNOWN) return; // a busy receiver: nothing per call
        if (u.state == UnreadReceives.ONE) {
            settle(u, UnreadReceives.AMBIGUOUS);
            return;
        }
        RawStack stack = s.stack();
        u.state = UnreadReceives.ONE;
        u.touched.clear();
        u.stack = stack != null && sink.hold(stack) ? stack : null;
        u.tid = s.tid();
        u.monoNanos = s.monoNanos();
        u.closeOnExec = cloexec;
    }

    /** Moves {@code u} to {@code state}, letting its receive's stack go. */
    private void settle(UnreadReceives u, int state) {
        if (u.stack != null) sink.release(u.stack);
        u.stack = null;
        u.state = state;
        if (state != UnreadReceives.AMBIGUOUS) u.touched.clear(); // ambiguous: still since the first receive
        if (state == UnreadReceives.NONE) u.inherited = false; // exact: what turns up from now on is its own
    }

    /**
     * A call that took the lowest free number got {@code ret}: the numbers below it the replay holds free are open,
     * unseen. With one unread receive since the replay was exact, and the number untouched since, they are its
     * descriptors; and when {@code ret} itself was free then and untouched since, every unread receive took numbers
     * below it: the replay is exact again.
     */
    private void revealed(TraceSample s, ReplayedTable table, long ret) {
        UnreadReceives u = table.unread;
        if (u.state == UnreadReceives.UNKNOWN) return; // not known exact: what turns up open may be from before the trace
        BitSet t = table.open;
        int below = (int) ret;
        for (int fd = t.nextClearBit(0); fd < below; fd = t.nextClearBit(fd + 1)) {
            if (u.state == UnreadReceives.ONE && !u.touched.get(fd)) {
                inferredReceived++;
                t.set(fd);
                table.closeOnExec.set(fd, u.closeOnExec);
                Map<Long, String> known = types(s.pid(), false);
                if (known != null) known.remove((long) fd);
                sink.accept(EventKind.OPEN, u.monoNanos, fd, s.pid(), u.tid, u.monoNanos + epochOffsetNanos, null, u.stack, true);
            } else {
                t.set(fd);
                unattributed(s.pid(), fd, u);
            }
        }
        if (!t.get(below) && !u.touched.get(below)) settle(u, UnreadReceives.NONE);
    }

    /**
     * {@code fd} turned up open, unseen, while more than one unread receive could have made it: it gets an OPEN without
     * a stack at the latest receive's time, so that a leak of it is still reported (stack unknown) rather than hidden.
     * Not in a fork's child whose unresolved receives are its parent's: what it inherited is not its own.
     */
    private void unattributed(int pid, int fd, UnreadReceives u) {
        unattributedReceived++;
        if (u.inherited) return;
        Map<Long, String> known = types(pid, false);
        if (known != null) known.remove((long) fd);
        long at = u.lastReceiveNanos;
        sink.accept(EventKind.OPEN, at, fd, pid, pid, at + epochOffsetNanos, null, null, true);
    }

    /** The SCM_RIGHTS descriptors in control messages at {@code r[at..at + length)} (struct cmsghdr, 8-byte aligned). */
    private void rights(TraceSample s, Call c, byte[] r, int at, int length, boolean cloexec) {
        ReplayedTable t = table(s.pid());
        for (int off = 0; off + 16 <= length; ) {
            long len = Le.u64(r, at + off);
            if (len < 16 || len > length - off) return;
            if ((int) Le.u32(r, at + off + 8) == SOL_SOCKET && (int) Le.u32(r, at + off + 12) == SCM_RIGHTS) {
                for (int k = 0; k < (len - 16) / 4; k++) {
                    long fd = Le.u32(r, at + off + 16 + 4 * k);
                    if (fd < Integer.MAX_VALUE) open(s, c, fd, t, cloexec);
                }
            }
            off += (int) ((len + 7) & ~7L);
        }
    }

    private void exit(TraceSample s, Call c) {
        long ret = Call.read(c.first, s);
        if (ret < 0) return; // the kernel filter already drops failures
        ReplayedTable table = table(s.pid());
        BitSet t = table.open;
        boolean cloexec = options.closeOnExec() && closeOnExec(s, c);
        if (c.pair) {
            // numbered by the replay: wrong if an unread receive took numbers, so what turns up later is nobody's
            if (table.unread != null && table.unread.state == UnreadReceives.ONE) settle(table.unread, UnreadReceives.AMBIGUOUS);
            int a = t.nextClearBit(0);
            int b = t.nextClearBit(a + 1);
            open(s, c, a, table, cloexec);
            open(s, c, b, table, cloexec);
        } else if (c.copyExit) {
            if (copying.containsKey(s.tid())) open(s, c, ret, table, cloexec);
        } else if (c.signalfd && ret < Integer.MAX_VALUE && t.get((int) ret)) {
            // signalfd on an existing signalfd changes its mask and returns it: nothing new
        } else {
            if (c.lowestFree && ret < Integer.MAX_VALUE) {
                // the kernel gave the lowest free number: every one below it is open now, whatever the replay thought
                if (table.unread != null && table.unread.active()) revealed(s, table, ret);
                t.set(0, (int) ret);
            }
            open(s, c, ret, table, cloexec);
        }
    }

    private void open(TraceSample s, Call c, long fd, ReplayedTable table, boolean closeOnExec) {
        if (fd < Integer.MAX_VALUE) {
            table.open.set((int) fd);
            table.closeOnExec.set((int) fd, closeOnExec);
            if (table.unread != null) table.unread.touch((int) fd);
        }
        Map<Long, String> known = types(s.pid(), true);
        String type = c.type;
        Long copied = copying.isEmpty() ? null : copying.remove(s.tid());
        if (type == null && copied != null) type = known.get(copied); // a copy is of its original's type
        if (type != null) known.put(fd, type);
        else known.remove(fd);
        sink.accept(EventKind.OPEN, s.monoNanos(), fd, s.pid(), s.tid(), s.monoNanos() + epochOffsetNanos, type, s.stack(), false);
    }

    private void close(TraceSample s, long fd) {
        if (fd < 0 || fd >= Integer.MAX_VALUE) return;
        ReplayedTable t = table(s.pid());
        t.open.clear((int) fd);
        t.closeOnExec.clear((int) fd);
        if (t.unread != null) t.unread.touch((int) fd);
        Map<Long, String> known = types(s.pid(), false);
        if (known != null) known.remove(fd);
        sink.accept(EventKind.CLOSE, s.monoNanos(), fd, s.pid(), s.tid(), s.monoNanos() + epochOffsetNanos, null, null, false);
    }

    private ReplayedTable table(int pid) {
        // the last process's, without boxing its pid: most samples in a row are one process's. It is the most recently
        // used table, so never the one the bound drops.
        if (pid == tablePid && lastTable != null) return lastTable;
        ReplayedTable t = tables.computeIfAbsent(pid, p -> {
            ReplayedTable forked = forks.remove(p);
            if (forked != null) return forked;
            ReplayedTable read = startingTable.apply(p);
            // read from /proc apart from the stream: exact only once a listing read while recorded is applied
            read.unread = new UnreadReceives(UnreadReceives.UNKNOWN);
            return read;
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
        default void accept(EventKind kind, long monoNanos, long fd, int pid, int tid, long epochNanos, String type, RawStack stack, boolean inferred) {
            accept(new TraceEvent(monoNanos, kind, fd, pid, tid, epochNanos, StackTrace.EMPTY, TraceEvent.NO_OBJECT, inferred), type, stack);
        }

        /**
         * Keeps a sample's stack while the decoder may still give it to descriptors (an unread receive's); false when
         * it cannot be kept. Each hold is let go with {@link #release}.
         */
        default boolean hold(RawStack stack) {
            return false;
        }

        default void release(RawStack stack) {
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
