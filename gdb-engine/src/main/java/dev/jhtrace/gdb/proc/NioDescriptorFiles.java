package dev.jhtrace.gdb.proc;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@link DescriptorFiles} through java.nio and java.io: portable, but each read walks the whole /proc path. */
final class NioDescriptorFiles implements DescriptorFiles {
    private final String fdPrefix;
    private final String fdinfoPrefix;
    private final byte[] buffer = new byte[8192];

    NioDescriptorFiles(Path processDir) {
        // String.concat, not +: string concatenation's first use bootstraps StringConcatFactory (milliseconds)
        this.fdPrefix = processDir.resolve("fd").toString().concat("/");
        this.fdinfoPrefix = processDir.resolve("fdinfo").toString().concat("/");
    }

    @Override
    public String link(String name) throws IOException {
        try {
            return Files.readSymbolicLink(Path.of(fdPrefix.concat(name))).toString();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public FdInfo fdinfo(String name) throws IOException {
        try {
            byte[] bytes = ProcFiles.readSingleRecord(fdinfoPrefix.concat(name), buffer);
            return FdInfo.parse(bytes, bytes.length);
        } catch (FileNotFoundException e) {
            // FileInputStream says both "no such file" and "permission denied" this way
            String message = e.getMessage();
            if (message != null && message.contains("Permission denied")) throw new AccessDeniedException(fdinfoPrefix.concat(name));
            return null;
        }
    }

    @Override
    public void close() {
    }
}
