package dev.jhtrace.gdb.proc;

import java.io.IOException;

/**
 * Reads the two per-descriptor files of one process, {@code /proc/PID/fd/N} (a link) and {@code /proc/PID/fdinfo/N},
 * for one thread (implementations hold buffers). Two ways: {@link LibcDescriptorFiles} calls libc relative to open
 * directory descriptors, {@link NioDescriptorFiles} uses java.nio and java.io where libc cannot be reached.
 */
interface DescriptorFiles extends AutoCloseable {

    /** The link text of descriptor {@code name}, or null when it is closed. */
    String link(String name) throws IOException;

    /** The parsed fdinfo of descriptor {@code name}, or null when it is closed. */
    FdInfo fdinfo(String name) throws IOException;

    @Override
    void close();

    /**
     * The fastest way this JVM has to read {@code processDir}'s descriptors: libc when {@code libc} is true and JNA
     * binds it here, else java.nio.
     *
     * @throws IOException as opening {@code processDir/fd} fails (NoSuchFileException, AccessDeniedException ...)
     */
    static DescriptorFiles open(java.nio.file.Path processDir, boolean libc) throws IOException {
        return libc && LibcDescriptorFiles.AVAILABLE ? LibcDescriptorFiles.open(processDir) : new NioDescriptorFiles(processDir);
    }
}
