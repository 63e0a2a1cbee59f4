package dev.jhtrace.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the two per-descriptor files of one process, {@code /proc/PID/fd/N} (a link) and {@code /proc/PID/fdinfo/N},
 * for one thread (it holds a buffer).
 *
 * <p>Plain java.nio and java.io. Reading through libc with JNA ({@code readlinkat}/{@code openat} relative to the
 * opened directories) was tried: warm listings were no faster, and loading JNA cost a fresh JVM ~120 ms of CPU.
 */
final class DescriptorFiles {
    private final String fdPrefix;
    private final String fdinfoPrefix;
    private final byte[] buffer = new byte[8192];

    DescriptorFiles(Path processDir) {
        // String.concat, not +: string concatenation's first use bootstraps StringConcatFactory (milliseconds)
        this.fdPrefix = processDir.resolve("fd").toString().concat("/");
        this.fdinfoPrefix = processDir.resolve("fdinfo").toString().concat("/");
    }

    /** The link text of descriptor {@code name}, or null when it is closed. */
    String link(String name) throws IOException {
        try {
            return Files.readSymbolicLink(Path.of(fdPrefix.concat(name))).toString();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The parsed fdinfo of descriptor {@code name}, or null when it is closed. */
    FdInfo fdinfo(String name) throws IOException {
        try {
            byte[] bytes = ProcFiles.readSingleRecord(fdinfoPrefix.concat(name), buffer);
            return FdInfo.parse(bytes, bytes.length);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
