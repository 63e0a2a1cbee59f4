package dev.jhtrace.gdb.proc;

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
    private static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFBLK = 060000, S_IFDIR = 040000,
            S_IFCHR = 020000, S_IFIFO = 010000;
    /** Below this many descriptors one thread is quicker than handing out work. */
    private static final int PARALLEL_THRESHOLD = 2000;
    private static final int MAX_THREADS = 4;

    private final int pid;
    private final Path processDir;
    private final OpenFlags openFlags = OpenFlags.forThisMachine();
    private final SocketTables sockets;
    /** Whether to read through libc when it is available (else java.nio, which tests compare against). */
    private final boolean libc;

    private ProcFdReader(Path procRoot, int pid, boolean libc) {
        this.pid = pid;
        this.libc = libc;
        this.processDir = procRoot.resolve(Integer.toString(pid));
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
        return read(procRoot, pid, true);
    }

    /** {@link #read(Path, int)}, through libc when {@code libc} and available, else through java.nio. */
    static HandleTable read(Path procRoot, int pid, boolean libc) {
        if (pid < 1) throw new JhtraceException(Failure.BAD_INPUT, "a pid is a positive number, got " + pid);
        if (!Files.isDirectory(procRoot.resolve("self"))) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "procfs is not mounted at " + procRoot + "; mount it with: mount -t proc proc " + procRoot);
        }
        return new ProcFdReader(procRoot, pid, libc).list();
    }

    private HandleTable list() {
        Instant time = Instant.now();
        int[] fds = descriptorNumbers();
        // Reading /proc is all system calls, a few microseconds each: big tables are split among threads. The socket
        // lookup (each /proc/net table read at most once) happens afterwards, on this thread.
        int threads = fds.length < PARALLEL_THRESHOLD ? 1 : Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
        List<HandleEntry> entries = new ArrayList<>(fds.length);
        Map<Long, String> flagNames = new HashMap<>();
        for (RangeReader part : readInParallel(fds, threads)) {
            entries.addAll(part.entries);
            for (RawFd raw : part.sockets) entries.add(entry(raw, flagNames, sockets.find(raw.target().inode())));
        }
        if (!Files.isDirectory(processDir)) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "process " + pid + " exited while its descriptors were being listed");
        }
        return new HandleTable(pid, time, entries);
    }

    /**
     * Reads all descriptors with {@code threads} threads (this one included), each taking one contiguous range.
     * Plain threads rather than a parallel stream: a stream's first use costs a fresh JVM tens of milliseconds of
     * lambda bootstrapping, more than a small listing takes.
     */
    private RangeReader[] readInParallel(int[] fds, int threads) {
        int chunk = (fds.length + threads - 1) / threads;
        RangeReader[] parts = new RangeReader[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            parts[t] = new RangeReader(fds, Math.min(fds.length, t * chunk), Math.min(fds.length, (t + 1) * chunk));
            if (t == 0) continue;
            workers[t] = new Thread(parts[t], "jhtrace-procfd");
            workers[t].setDaemon(true);
            workers[t].start();
        }
        parts[0].run();
        boolean interrupted = false;
        for (int t = 1; t < threads; t++) {
            while (true) {
                try {
                    workers[t].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the workers finish soon on their own; keep the listing whole
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        for (RangeReader part : parts) {
            if (part.failure instanceof RuntimeException e) throw e;
            if (part.failure instanceof Error e) throw e;
        }
        return parts;
    }

    /** Reads one range of descriptors, on whichever thread runs it. */
    private final class RangeReader implements Runnable {
        private final int[] fds;
        private final int from;
        private final int to;
        private final List<HandleEntry> entries = new ArrayList<>();
        /** Sockets, finished on the listing thread: the /proc/net tables are read once, by one thread. */
        private final List<RawFd> sockets = new ArrayList<>();
        private Throwable failure;

        RangeReader(int[] fds, int from, int to) {
            this.fds = fds;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            try {
                readRange(fds, from, to, entries, sockets);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
    }

    /**
     * The descriptor numbers in {@code /proc/PID/fd}, sorted. {@code File.list} makes the names natively, much
     * cheaper than a DirectoryStream's Path per entry; it only says null on failure, so then the stream is asked why.
     */
    private int[] descriptorNumbers() {
        Path fdDir = processDir.resolve("fd");
        String[] names = fdDir.toFile().list();
        if (names != null) {
            int[] fds = new int[names.length];
            for (int i = 0; i < names.length; i++) fds[i] = (int) FdInfo.parseLong(names[i], 0, names[i].length(), 10);
            Arrays.sort(fds);
            return fds;
        }
        int[] fds = new int[256];
        int count = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fdDir)) {
            for (Path p : dir) {
                if (count == fds.length) fds = Arrays.copyOf(fds, count * 2);
                fds[count++] = Integer.parseInt(p.getFileName().toString());
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

    /**
     * One file: the same inode on the same mount (fdinfo shows both since Linux 5.14). A class rather than a record:
     * a record's first hashCode call bootstraps java.lang.runtime.ObjectMethods, some 50-100 ms of a first listing.
     */
    private static final class InodeKey {
        private final long mountId;
        private final long inode;

        InodeKey(long mountId, long inode) {
            this.mountId = mountId;
            this.inode = inode;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InodeKey k && k.mountId == mountId && k.inode == inode;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(inode * 31 + mountId);
        }
    }

    /** The file type and device of a path descriptor, as stat tells. */
    private record PathKind(String type, String device) {
    }

    /**
     * Reads descriptors {@code fds[from..to)} into {@code entries}, or into {@code sockets} when they still need
     * the /proc/net tables, leaving out those closed meanwhile.
     */
    private void readRange(int[] fds, int from, int to, List<HandleEntry> entries, List<RawFd> sockets) {
        DescriptorFiles files;
        try {
            files = DescriptorFiles.open(processDir, libc);
        } catch (NoSuchFileException e) {
            return; // the process has exited: list() says so
        } catch (AccessDeniedException e) {
            throw permissionDenied();
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot read the descriptors of process " + pid + ": " + e.getMessage(), e);
        }
        try (files) {
            readRange(files, fds, from, to, entries, sockets);
        }
    }

    private void readRange(DescriptorFiles files, int[] fds, int from, int to, List<HandleEntry> entries, List<RawFd> sockets) {
        Path fdDir = processDir.resolve("fd");
        // Many descriptors often share one file (a leak opening the same path again and again): stat each
        // (mount, inode) once. Keyed per range so threads share nothing.
        Map<InodeKey, PathKind> kinds = new HashMap<>();
        Map<Long, String> flagNames = new HashMap<>();
        for (int i = from; i < to; i++) {
            int fd = fds[i];
            String number = Integer.toString(fd);
            FdTarget target;
            FdInfo info;
            try {
                String link = files.link(number);
                if (link == null) continue; // closed while we looked
                info = files.fdinfo(number);
                if (info == null) continue;
                target = FdTarget.of(link);
            } catch (AccessDeniedException e) {
                throw permissionDenied();
            } catch (IOException e) {
                if (!Files.exists(fdDir.resolve(number), LinkOption.NOFOLLOW_LINKS)) continue;
                throw new JhtraceException(Failure.OTHER, "cannot read descriptor " + fd + " of process " + pid + ": " + e.getMessage(), e);
            }
            PathKind kind = null;
            if (target.type() == null) {
                InodeKey key = info.mountId() >= 0 && info.inode() >= 0 ? new InodeKey(info.mountId(), info.inode()) : null;
                kind = key == null ? null : kinds.get(key);
                if (kind == null) {
                    kind = pathKind(fdDir.resolve(number));
                    if (kind == null) continue; // closed while we looked
                    if (key != null) kinds.put(key, kind);
                }
            }
            RawFd raw = new RawFd(fd, target, info, kind == null ? null : kind.type, kind == null ? null : kind.device);
            if (FdTypes.SOCKET.equals(target.type()) && target.inode() >= 0) sockets.add(raw);
            else entries.add(entry(raw, flagNames, null));
        }
    }

    /**
     * The entry for one descriptor.
     *
     * @param flagNames flag names by value, filled as they are rendered (a big table has few distinct values)
     * @param socket    what /proc/net says about a socket, or null
     */
    private HandleEntry entry(RawFd raw, Map<Long, String> flagNames, SocketInfo socket) {
        FdTarget target = raw.target();
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
        String type = target.type() != null ? target.type() : raw.pathType();
        if (raw.device() != null) details.put("device", raw.device());
        if (target.name().endsWith(" (deleted)")) details.put("deleted", "yes");
        if (socket != null) details.putAll(socket.details());
        details.putAll(info.typeDetails());
        return new HandleEntry(raw.fd(), type, target.name(), info.flags() >= 0 ? info.flags() : null, null, null, null, details);
    }

    /** The type of a descriptor open on a path, from {@code stat} through the link; null when it just closed. */
    private static PathKind pathKind(Path link) {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(link, "unix:mode,rdev");
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return new PathKind(FdTypes.FILE, null); // open, but stat is refused (e.g. a FUSE mount): a file by its path
        }
        int mode = (Integer) attributes.get("mode");
        switch (mode & S_IFMT) {
            case S_IFDIR:
                return new PathKind(FdTypes.DIRECTORY, null);
            case S_IFIFO:
                return new PathKind(FdTypes.PIPE, null);
            case S_IFSOCK:
                return new PathKind(FdTypes.SOCKET, null);
            case S_IFCHR:
            case S_IFBLK:
                long rdev = (Long) attributes.get("rdev");
                long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L);
                long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
                String device = new StringBuilder((mode & S_IFMT) == S_IFCHR ? "char " : "block ")
                        .append(major).append(':').append(minor).toString();
                return new PathKind(FdTypes.DEVICE, device);
            default:
                return new PathKind(FdTypes.FILE, null);
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
}
