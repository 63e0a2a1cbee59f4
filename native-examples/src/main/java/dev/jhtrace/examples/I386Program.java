package dev.jhtrace.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A 32-bit x86 program's ELF header as an executable file, for the tests of what an engine does with a program it
 * cannot trace. It is the header alone: what the engines read of a program before running it, and no more, since the
 * build machine's kernel runs no 32-bit program and its gcc has no 32-bit libraries.
 */
public final class I386Program {
    private I386Program() {
    }

    /** Writes the header (ELFCLASS32, little-endian, ET_EXEC, EM_386) to {@code file}, made executable. */
    public static Path header(Path file) {
        ByteBuffer h = ByteBuffer.allocate(52).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1}); // class 32, little-endian, ELF version 1
        h.putShort(16, (short) 2).putShort(18, (short) 3).putInt(20, 1); // ET_EXEC, EM_386, EV_CURRENT
        h.putShort(40, (short) 52); // e_ehsize
        try {
            Files.write(file, h.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!file.toFile().setExecutable(true)) throw new IllegalStateException("cannot make " + file + " executable");
        return file;
    }
}
