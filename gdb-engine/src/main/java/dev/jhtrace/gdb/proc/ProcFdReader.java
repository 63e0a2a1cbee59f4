package dev.jhtrace.gdb.proc;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.FileNotFoundException;
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
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

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

    private ProcFdReader(Path procRoot, int pid) {
        this.pid = pid;
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
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE,
                    "descriptor listing reads /proc and needs Linux; this is " + System.getProperty("os.name"));
        }
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
        int[] fds = descriptorNumbers();
        // Reading /proc is all syscalls, a few microseconds each; big tables are split among threads, and the
        // socket lookup (one table read per family at most) happens afterwards on this thread.
        int chunks = fds.length < PARALLEL_THRESHOLD ? 1 : Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors() * 2);
        int chunkSize = (fds.length + chunks - 1) / Math.max(chunks, 1);
        IntStream parts = IntStream.range(0, chunks);
        List<List<RawFd>> read = (chunks > 1 ? parts.parallel() : parts)
                .boxed()
                .map(c -> readRange(fds, c * chunkSize, Math.min(fds.length, (c + 1) * chunkSize)))
                .toList();
        List<HandleEntry> entries = new ArrayList<>(fds.length);
        for (List<RawFd> part : read) {
            for (RawFd raw : part) entries.add(entry(raw));
        }
        if (!Files.isDirectory(processDir)) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "process " + pid + " exited while its descriptors were being listed");
        }
        return new HandleTable(pid, time, entries);
    }

    /** The descriptor numbers in {@code /proc/PID/fd}, sorted. */
    private int[] descriptorNumbers() {
        Path fdDir = processDir.resolve("fd");
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

    /** The file type and device of a path descriptor, as stat tells. */
    private record PathKind(String type, String device) {
    }

    /** Reads descriptors {@code fds[from..to)}, leaving out those closed meanwhile. */
    private List<RawFd> readRange(int[] fds, int from, int to) {
        String fdPrefix = processDir.resolve("fd") + "/";
        String fdinfoPrefix = processDir.resolve("fdinfo") + "/";
        byte[] buffer = new byte[8192];
        // Many descriptors often share one file (a leak opening the same path again and again): stat each
        // (mount, inode) once. Keyed per range so threads share nothing.
        Map<String, PathKind> kinds = new HashMap<>();
        List<RawFd> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int fd = fds[i];
            String number = Integer.toString(fd);
            String link = fdPrefix + number;
            FdTarget target;
            FdInfo info;
            try {
                target = FdTarget.of(Files.readSymbolicLink(Path.of(link)).toString());
                info = FdInfo.parse(ProcFiles.read(fdinfoPrefix + number, buffer));
            } catch (NoSuchFileException | FileNotFoundException e) {
                continue; // closed while we looked
            } catch (AccessDeniedException e) {
                throw permissionDenied();
            } catch (IOException e) {
                if (isAccessDenied(e)) throw permissionDenied();
                if (!Files.exists(Path.of(link), LinkOption.NOFOLLOW_LINKS)) continue;
                throw new JhtraceException(Failure.OTHER, "cannot read descriptor " + fd + " of process " + pid + ": " + e.getMessage(), e);
            }
            PathKind kind = null;
            if (target.type() == null) {
                String key = info.mountId() >= 0 && info.inode() >= 0 ? info.mountId() + ":" + info.inode() : null;
                kind = key == null ? null : kinds.get(key);
                if (kind == null) {
                    kind = pathKind(Path.of(link));
                    if (kind == null) continue; // closed while we looked
                    if (key != null) kinds.put(key, kind);
                }
            }
            out.add(new RawFd(fd, target, info, kind == null ? null : kind.type, kind == null ? null : kind.device));
        }
        return out;
    }

    private static boolean isAccessDenied(IOException e) {
        String message = e.getMessage();
        return message != null && message.contains("Permission denied");
    }

    private HandleEntry entry(RawFd raw) {
        FdTarget target = raw.target();
        FdInfo info = raw.info();
        Map<String, String> details = new LinkedHashMap<>();
        if (info.flags() >= 0) details.put("flags", openFlags.render(info.flags()));
        if (info.position() >= 0) details.put("pos", Long.toString(info.position()));
        String type = target.type() != null ? target.type() : raw.pathType();
        if (raw.device() != null) details.put("device", raw.device());
        if (target.name().endsWith(" (deleted)")) details.put("deleted", "yes");
        if (type.equals(FdTypes.SOCKET) && target.inode() >= 0) {
            SocketInfo s = sockets.find(target.inode());
            if (s != null) details.putAll(s.details());
        }
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
                return new PathKind(FdTypes.DEVICE, ((mode & S_IFMT) == S_IFCHR ? "char " : "block ") + major + ":" + minor);
            default:
                return new PathKind(FdTypes.FILE, null);
        }
    }

    private JhtraceException permissionDenied() {
        String owner;
        try {
            owner = Files.getOwner(processDir).getName();
        } catch (IOException | UnsupportedOperationException e) {
            owner = "another user";
        }
        return new JhtraceException(Failure.PERMISSION_DENIED, "may not read the descriptors of process " + pid + " (owned by "
                + owner + "); run jhtrace as " + owner + " or as root (reading /proc/PID/fd needs ptrace read access)");
    }
}
