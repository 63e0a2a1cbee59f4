package dev.jhtrace.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What kind of object a descriptor open on a path refers to (file, directory, device, FIFO), from {@code stat}
 * through its {@code /proc/PID/fd/N} link. Many descriptors often share one file (a leak opening the same path again
 * and again, or 19,000 dups of /dev/null), so each (mount, inode) that fdinfo names is stat'ed once. One instance per
 * reading thread: not thread-safe.
 */
final class PathKinds {
    private static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFBLK = 060000, S_IFDIR = 040000,
            S_IFCHR = 020000, S_IFIFO = 010000;

    /**
     * The kind of one path descriptor.
     *
     * @param type   a {@link FdTypes} name
     * @param device for devices {@code char 1:3} or {@code block 8:0}, else null
     */
    record Kind(String type, String device) {
    }

    private final Map<InodeKey, Kind> byInode = new HashMap<>();

    /**
     * The kind of descriptor {@code number}, a link in {@code fdDir}, whose fdinfo is {@code info}; null when it just
     * closed. The link's path is made only when it is stat'ed.
     */
    Kind of(Path fdDir, String number, FdInfo info) {
        InodeKey key = info.mountId() >= 0 && info.inode() >= 0 ? new InodeKey(info.mountId(), info.inode()) : null;
        Kind kind = key == null ? null : byInode.get(key);
        if (kind == null) {
            kind = stat(fdDir.resolve(number));
            if (kind != null && key != null) byInode.put(key, kind);
        }
        return kind;
    }

    private static Kind stat(Path link) {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(link, "unix:mode,rdev");
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return new Kind(FdTypes.FILE, null); // open, but stat is refused (e.g. a FUSE mount): a file by its path
        }
        int mode = (Integer) attributes.get("mode");
        switch (mode & S_IFMT) {
            case S_IFDIR:
                return new Kind(FdTypes.DIRECTORY, null);
            case S_IFIFO:
                return new Kind(FdTypes.PIPE, null);
            case S_IFSOCK:
                return new Kind(FdTypes.SOCKET, null);
            case S_IFCHR:
            case S_IFBLK:
                // glibc's major()/minor() of a 64-bit dev_t
                long rdev = (Long) attributes.get("rdev");
                long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L);
                long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
                String device = new StringBuilder((mode & S_IFMT) == S_IFCHR ? "char " : "block ")
                        .append(major).append(':').append(minor).toString();
                return new Kind(FdTypes.DEVICE, device);
            default:
                return new Kind(FdTypes.FILE, null);
        }
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
}
