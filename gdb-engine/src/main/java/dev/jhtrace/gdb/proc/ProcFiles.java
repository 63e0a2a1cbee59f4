package dev.jhtrace.gdb.proc;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads {@code /proc} text files. {@code Files.readAllBytes} trusts the size {@code stat} reports (0 for /proc) and
 * then reads one byte at a time, which some /proc files answer wrongly (sysctl files return only their first byte),
 * so these reads use one large buffer: one open, reads until end of file, one close.
 */
final class ProcFiles {
    private ProcFiles() {
    }

    /** The whole file as ISO-8859-1 text (bytes kept one-to-one); {@code buffer} is reused between calls. */
    static String read(String path, byte[] buffer) throws IOException {
        return new String(readBytes(path, buffer), StandardCharsets.ISO_8859_1);
    }

    /** The whole file as bytes. */
    static byte[] readBytes(String path, byte[] buffer) throws IOException {
        try (FileInputStream in = new FileInputStream(path)) {
            byte[] b = buffer;
            int length = 0;
            int n;
            while ((n = in.read(b, length, b.length - length)) > 0) {
                length += n;
                if (length == b.length) b = Arrays.copyOf(b, b.length * 2); // a big epoll set, a long command line
            }
            return Arrays.copyOf(b, length);
        }
    }

    /** The whole file as UTF-8 text. */
    static String readUtf8(Path path) throws IOException {
        return new String(readBytes(path.toString(), new byte[8192]), StandardCharsets.UTF_8);
    }
}
