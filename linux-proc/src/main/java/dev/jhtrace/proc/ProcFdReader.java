package dev.jhtrace.proc;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lists a Linux process's open descriptors from {@code /proc/PID/fd} and {@code /proc/PID/fdinfo}: the Linux
 * {@code !handle}. The target is never stopped or ptraced; reading these files only needs the right to read the
 * target's {@code /proc} entries (same user, or root / {@code CAP_SYS_PTRACE}).
 *
 * <p>Each {@link HandleEntry} has: the descriptor number as {@code handle}; a {@link FdTypes} name as {@code type};
 * the link text as {@code name} ({@code /etc/hosts}, {@code socket:[1234]}, {@code pipe:[99]},
 * {@code anon_inode:[eventfd]} ...); the open flags of {@code fdinfo} as {@code grantedAccess}; and in
 * {@code details}: {@code flags} (readable, e.g. {@code O_RDWR|O_CLOEXEC}), {@code pos}, then what the type adds:
 * sockets get {@code family}, {@code protocol}, {@code state}, {@code local}, {@code peer} from the target's
 * {@code /proc/PID/net} tables (matched by inode; each table read at most once per listing, and only while a socket
 * is still unmatched); devices get {@code device} ({@code char 1:3}); deleted files {@code deleted=yes}; eventfd,
 * epoll, inotify, fanotify, timerfd, signalfd and pidfd descriptors the useful fdinfo lines.
 *
 * <p>The listing is not atomic: descriptors closed while it runs are left out, never reported as errors. A
 * descriptor number reused during the listing may mix facts of the old and new object (as with {@code lsof}).
 * Reading a path's type uses {@code stat} through the {@code /proc} link, which can block on a hung network mount.
 */
public final class ProcFdReader {
    private static final Path PROC = Path.of("/proc");
    /** Below this many descriptors one thread is quicker than handing out work. */
    private static final int PARALLEL_THRESHOLD = 2000;
    private static final int MAX_THREADS = 4;

    private final int pid;
    private final Path processDir;
    private final Path fdDir;
    private final OpenFlags openFlags = OpenFlags.forThisMachine();
    private final SocketTables sockets;

    private ProcFdReader(Path procRoot, int pid) {
        this.pid = pid;
        this.processDir = procRoot.resolve(Integer.toString(pid));
        this.fdDir = processDir.resolve("fd");
        this.sockets = new SocketTables(processDir.resolve("net"));
    }

    /**
     * The open descriptors of a process, in descriptor order.
     *
     * @throws JhtraceException BAD_INPUT for a pid below 1, TARGET_NOT_FOUND when there is no such process (or it exits
     *                          during the listing), PERMISSION_DENIED when its descriptors may not be read,
     *                          ENGINE_UNAVAILABLE when this is not Linux
     */
    public static HandleTable read(int pid) {
        ProcFiles.requireLinux("descriptor listing");
        return read(PROC, pid);
    }

    /**
     * Like {@link #read(int)}, with procfs mounted at {@code procRoot} (a container's view of the host's
     * {@code /proc}, say).
     */
    public static HandleTable read(Path procRoot, int pid) {
        if (pid < 1) throw new JhtraceException(Failure.BAD_INPUT, "a pid is a positive number, got " + pid);
        if (!Files.isDirectory(procRoot.resolve("self"))) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "procfs is not mounted at " + procRoot + "; mount it with: mount -t proc proc " + procRoot);
        }
        return new ProcFdReader(procRoot, pid).list();
    }

    private HandleTable list() {
        Instant time = Instant.now();
        if (hasExited()) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "process " + pid + " has exited (a zombie its parent has not reaped)");
        int[] fds = descriptorNumbers();
        List<HandleEntry> entries = new ArrayList<>(fds.length);
        EntryMaker socketEntries = new EntryMaker();
        for (Worker worker : readAll(fds)) {
            entries.addAll(worker.entries);
            // sockets last, on this thread: each /proc/net table is read at most once
            for (RawFd raw : worker.sockets) entries.add(socketEntries.entry(raw, sockets.find(raw.target().inode())));
        }
        // an exit during the listing leaves a partial table (descriptors of a dead process read as closed): say so
        if (hasExited()) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "process " + pid + " exited while its descriptors were being listed");
        }
        return new HandleTable(pid, time, entries);
    }

    /**
     * Whether the process is gone or a zombie (state Z or X in {@code /proc/PID/stat}): a zombie keeps its /proc
     * directory but has no descriptors left. False when /proc/PID/stat is missing but the directory is not (then
     * the descriptor listing says what is wrong).
     */
    private boolean hasExited() {
        return ProcFiles.isZombieOrDead(processDir);
    }

    /**
     * Reads every descriptor. A small table is read on this thread; a big one is cut into blocks that this thread
     * and {@code cores - 1} more take in turn (reading /proc is all system calls, a few microseconds each). Plain
     * threads rather than a parallel stream: a stream's first use costs a fresh JVM tens of milliseconds of lambda
     * bootstrapping.
     */
    private Worker[] readAll(int[] fds) {
        Blocks blocks = new Blocks(fds);
        int threads = fds.length < PARALLEL_THRESHOLD ? 1 : Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
        Worker[] workers = new Worker[threads];
        Thread[] started = new Thread[threads];
        for (int t = 1; t < threads; t++) {
            workers[t] = new Worker(blocks);
            started[t] = new Thread(workers[t], "jhtrace-procfd");
            started[t].setDaemon(true);
            started[t].start();
        }
        workers[0] = new Worker(blocks);
        workers[0].run();
        boolean interrupted = false;
        for (int t = 1; t < threads; t++) {
            while (true) {
                try {
                    started[t].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the workers finish soon on their own; keep the listing whole
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        for (Worker w : workers) w.rethrow();
        return workers;
    }

    /** Hands out blocks of the descriptor array to the reading threads, so that a slow thread holds back none. */
    private static final class Blocks {
        private static final int SIZE = 512;
        private final int[] fds;
        private final AtomicInteger next = new AtomicInteger();

        Blocks(int[] fds) {
            this.fds = fds;
        }

        /** The start index of the next block to read, or -1 when all are taken. */
        int next() {
            int start = next.getAndAdd(SIZE);
            return start < fds.length ? start : -1;
        }
    }

    /** Reads blocks of descriptors until none are left, on whichever thread runs it. */
    private final class Worker implements Runnable {
        private final Blocks blocks;
        private final List<HandleEntry> entries = new ArrayList<>();
        /** Sockets, finished on the listing thread: the /proc/net tables are read once, by one thread. */
        private final List<RawFd> sockets = new ArrayList<>();
        /** Per worker, so threads share nothing. */
        private final PathKinds kinds = new PathKinds();
        private final EntryMaker maker = new EntryMaker();
        private Throwable failure;

        Worker(Blocks blocks) {
            this.blocks = blocks;
        }

        @Override
        public void run() {
            try {
                DescriptorFiles files = new DescriptorFiles(processDir);
                for (int start = blocks.next(); start >= 0; start = blocks.next()) {
                    readRange(files, blocks.fds, start, Math.min(blocks.fds.length, start + Blocks.SIZE), this);
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }

        void rethrow() {
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
        }
    }

    /**
     * The descriptor numbers in {@code /proc/PID/fd}, sorted. {@code File.list} makes the names natively, much
     * cheaper than a DirectoryStream's Path per entry; it only says null on failure, so then the stream is asked why.
     */
    private int[] descriptorNumbers() {
        String[] names = fdDir.toFile().list();
        if (names != null) {
            int[] fds = new int[names.length];
            for (int i = 0; i < names.length; i++) fds[i] = ProcFiles.number(names[i]);
            Arrays.sort(fds);
            return fds;
        }
        int[] fds = new int[256];
        int count = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fdDir)) {
            for (Path p : dir) {
                if (count == fds.length) fds = Arrays.copyOf(fds, count * 2);
                fds[count++] = ProcFiles.number(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no process with pid " + pid);
        } catch (AccessDeniedException e) {
            throw permissionDenied();
        } catch (IOException e) {
            if (!Files.isDirectory(processDir)) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no process with pid " + pid);
            throw new JhtraceException(Failure.OTHER, "cannot list " + fdDir + ": " + e.getMessage(), e);
        }
        int[] sorted = Arrays.copyOf(fds, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * What {@code /proc} says about one descriptor, before sockets are matched.
     *
     * @param pathType for a descriptor open on a path: its type from {@code stat}; null otherwise
     * @param device   for a device: {@code char 1:3} or {@code block 8:0}; null otherwise
     */
    private record RawFd(int fd, FdTarget target, FdInfo info, String pathType, String device) {
    }

    /** Reads descriptors {@code fds[from..to)} into the worker's lists, leaving out those closed meanwhile. */
    private void readRange(DescriptorFiles files, int[] fds, int from, int to, Worker worker) {
        // one call per descriptor: the JIT compiles a method after a few hundred calls, a loop only after some
        // 60,000 rounds (on-stack replacement), so a loop body of its own ran interpreted for the whole listing
        for (int i = from; i < to; i++) readOne(files, fds[i], worker);
    }

    /** Reads descriptor {@code fd} into the worker's lists, unless it closed meanwhile. */
    private void readOne(DescriptorFiles files, int fd, Worker worker) {
        String number = Integer.toString(fd);
        FdTarget target;
        FdInfo info;
        try {
            String link = files.link(number);
            if (link == null) return; // closed while we looked
            info = files.fdinfo(number);
            if (info == null) return;
            target = FdTarget.of(link);
        } catch (AccessDeniedException e) {
            throw permissionDenied();
        } catch (NoSuchFileException e) {
            return; // closed while we looked (its number may already be reused: that is a new descriptor, for the next read)
        } catch (IOException e) {
            if (!Files.exists(fdDir.resolve(number), LinkOption.NOFOLLOW_LINKS)) return;
            throw new JhtraceException(Failure.OTHER, "cannot read descriptor " + fd + " of process " + pid + ": " + e.getMessage(), e);
        }
        PathKinds.Kind kind = null;
        if (target.type() == null) {
            kind = worker.kinds.of(fdDir, number, info);
            if (kind == null) return; // closed while we looked
        }
        RawFd raw = new RawFd(fd, target, info, kind == null ? null : kind.type(), kind == null ? null : kind.device());
        if (FdTypes.SOCKET.equals(target.type()) && target.inode() >= 0) worker.sockets.add(raw);
        else worker.entries.add(worker.maker.entry(raw, null));
    }

    /**
     * Makes the entries of one thread's descriptors. A big table has few distinct flag values, and a leak's descriptors
     * are mostly alike (19,000 dups of one file, say): flag names are rendered once per value, and the details of a
     * plain descriptor (flags, position 0, its device if any) are those of the one before when they are the same.
     */
    private final class EntryMaker {
        private final Map<Long, String> flagNames = new HashMap<>();
        private long lastFlags = Long.MIN_VALUE;
        private Long lastFlagsBoxed;
        private String lastDevice;
        private Map<String, String> lastPlainDetails;

        /**
         * The entry for one descriptor.
         *
         * @param socket what /proc/net says about a socket, or null
         */
        HandleEntry entry(RawFd raw, SocketInfo socket) {
            FdTarget target = raw.target();
            FdInfo info = raw.info();
            if (info.flags() != lastFlags) { // other flags: their boxed value, and other details
                lastFlags = info.flags();
                lastFlagsBoxed = lastFlags >= 0 ? lastFlags : null;
                lastPlainDetails = null;
            }
            boolean plain = socket == null && info.position() == 0 && info.typeDetails().isEmpty() && !target.name().endsWith(" (deleted)");
            Map<String, String> details;
            if (plain && lastPlainDetails != null && Objects.equals(raw.device(), lastDevice)) {
                details = lastPlainDetails;
            } else {
                details = details(raw, socket);
                if (plain) {
                    lastPlainDetails = details;
                    lastDevice = raw.device();
                }
            }
            String type = target.type() != null ? target.type() : raw.pathType();
            // a socket's name says what it is, not only its inode (as `!handle 3 f` and ss do)
            String name = socket == null ? target.name() : target.name() + " " + socket.describe();
            // fdinfo's inode is the object's identity: the traced OPEN of this descriptor must name the same
            Long objectId = info.inode() > 0 ? info.inode() : null;
            return new HandleEntry(raw.fd(), type, name, lastFlagsBoxed, null, null, null, details, objectId);
        }

        private Map<String, String> details(RawFd raw, SocketInfo socket) {
            FdInfo info = raw.info();
            Map<String, String> details = new LinkedHashMap<>();
            if (info.flags() >= 0) {
                String names = flagNames.get(info.flags());
                if (names == null) {
                    names = openFlags.render(info.flags());
                    flagNames.put(info.flags(), names);
                }
                details.put("flags", names);
            }
            if (info.position() >= 0) details.put("pos", info.position() == 0 ? "0" : Long.toString(info.position()));
            if (raw.device() != null) details.put("device", raw.device());
            if (raw.target().name().endsWith(" (deleted)")) details.put("deleted", "yes");
            if (socket != null) details.putAll(socket.details());
            details.putAll(info.typeDetails());
            return details;
        }
    }

    private JhtraceException permissionDenied() {
        String owner;
        try {
            owner = Files.getOwner(processDir).getName();
        } catch (IOException | UnsupportedOperationException e) {
            owner = null;
        }
        String me = System.getProperty("user.name");
        if (owner != null && owner.equals(me)) {
            return new JhtraceException(Failure.PERMISSION_DENIED, "may not read the descriptors of process " + pid
                    + " although it runs as " + owner + ": the kernel's ptrace rules refuse it (Yama ptrace_scope, an LSM,"
                    + " or another user namespace); run jhtrace with CAP_SYS_PTRACE in the target's namespace");
        }
        String whom = owner == null ? "its owner" : owner;
        return new JhtraceException(Failure.PERMISSION_DENIED, "may not read the descriptors of process " + pid + " (owned by "
                + whom + "); run jhtrace as " + whom + " or as root (reading /proc/PID/fd needs ptrace read access)");
    }

    /**
     * A table from rows "fd kind link" read by the gdb helper as the process exited (kind: d, c, b, f
     * for a directory, device or file path, "-" for anything else): types and names, no flags.
     */
    public static HandleTable fromExitRows(int pid, List<String> rows) {
        List<HandleEntry> entries = new ArrayList<>(rows.size());
        for (String row : rows) {
            String[] f = row.split(" ", 3);
            if (f.length < 3) continue;
            FdTarget target = FdTarget.of(f[2]);
            String type = target.type() != null ? target.type() : switch (f[1]) {
                case "d" -> FdTypes.DIRECTORY;
                case "c", "b" -> FdTypes.DEVICE;
                default -> FdTypes.FILE;
            };
            entries.add(HandleEntry.of(Integer.parseInt(f[0]), type, target.name()));
        }
        return new HandleTable(pid, Instant.now(), entries);
    }
}
