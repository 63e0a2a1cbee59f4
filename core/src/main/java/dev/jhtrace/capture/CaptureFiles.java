package dev.jhtrace.capture;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a capture keeps its files, and how they are created: the directory 0700 and every file 0600
 * on POSIX systems, because records hold paths and names from the target (on Windows the directory
 * inherits the ACL of its parent: create it under the service account's profile).
 */
public final class CaptureFiles {
    /** Capture files end with this. */
    public static final String SUFFIX = ".jsonl";

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private CaptureFiles() {
    }

    /** Creates the directory (owner-only) if needed and checks it is a writable directory. */
    public static Path prepareDirectory(Path dir) {
        try {
            if (!Files.exists(dir)) {
                if (POSIX) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                else Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "cannot create " + dir + ": " + e.getMessage());
        }
        if (!Files.isDirectory(dir)) throw new JhtraceException(Failure.BAD_INPUT, dir + " is not a directory");
        if (!Files.isWritable(dir)) throw new JhtraceException(Failure.PERMISSION_DENIED, "cannot write to " + dir);
        if (POSIX) {
            try {
                // an existing directory is narrowed too: it is about to hold the target's paths
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException | UnsupportedOperationException e) {
                throw new JhtraceException(Failure.PERMISSION_DENIED, "cannot make " + dir + " private (chmod 700): " + e.getMessage());
            }
        }
        return dir;
    }

    /** The name of a capture file: sorts by capture, then segment, then part. */
    public static String fileName(CaptureHeader h) {
        return String.format("capture-%s-s%04d-p%04d%s", h.captureId(), h.segment(), h.part(), SUFFIX);
    }

    /** Opens a new file for appending, owner-only; fails if it exists. */
    public static FileChannel createAppendOnly(Path file) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return POSIX ? FileChannel.open(file, options, ownerOnly()) : FileChannel.open(file, options);
    }

    /** Replaces a file's content atomically (write aside, fsync, rename), owner-only. */
    public static void writeAtomically(Path file, String content) {
        writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces a file's content atomically, owner-only (0600 on POSIX): the bytes go to a new file beside
     * it, are fsync'd, and the new file is renamed over the old one, so a reader sees the old content or
     * the new, never a part, and a crash leaves at most a stray {@code .tmp} file. A missing directory is
     * bad input; a directory that refuses writing, permission denied.
     */
    public static void writeAtomically(Path file, byte[] content) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            // a name of its own: two writers of one file never share the file they write aside
            tmp = POSIX ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly())
                    : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "cannot write " + file + ": no directory " + dir, e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new JhtraceException(Failure.PERMISSION_DENIED, "cannot write " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException leftBehind) {
                    // the write already failed and says so; a stray temporary file is the lesser problem
                }
            }
        }
    }

    /** The capture files in a directory, by name (so by capture, segment, part). */
    public static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p)).sorted().toList());
        } catch (IOException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "cannot list " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Makes a new file's name durable (fsync of the directory), where the platform allows it; a crash right
     * after a file is rolled then cannot lose the file itself. Best effort: Windows cannot open directories.
     */
    public static void syncDirectory(Path dir) {
        if (!POSIX) return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems refuse; the file's content is still fsync'd
        }
    }

    /** Whether files created here are owner-only (POSIX); false on Windows, where the directory's ACL applies. */
    public static boolean posix() {
        return POSIX;
    }

    private static FileAttribute<?> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }
}
