package dev.jhtrace.proc;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads {@code /proc} text files. {@code Files.readAllBytes} trusts the size {@code stat} reports (0 for /proc) and
 * then reads one byte at a time, which some /proc files answer wrongly (sysctl files return only their first byte),
 * so these reads use one large buffer: one open, reads until end of file, one close.
 */
final class ProcFiles {
    private ProcFiles() {
    }

    /** Fails with ENGINE_UNAVAILABLE, naming {@code feature}, unless this JVM runs on Linux. */
    static void requireLinux(String feature) {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, feature + " reads /proc and needs Linux; this is " + os);
        }
    }

    /** The whole file as bytes. */
    static byte[] readBytes(String path, byte[] buffer) throws IOException {
        return readBytes(path, buffer, false);
    }

    /**
     * A {@code /proc/PID/fdinfo/N} file. Those are single-record seq files: the kernel builds the whole
     * record and hands all of it to the first read that has room, so a read that leaves room is the end of the
     * file and the usual extra read that returns 0 is skipped (19,000 fewer system calls per 19,000 descriptors).
     */
    static byte[] readSingleRecord(String path, byte[] buffer) throws IOException {
        return readBytes(path, buffer, true);
    }

    /**
     * The file's bytes. A file that is gone, at the open or during the read (a descriptor closed, a thread ended, its
     * number perhaps reused at once), is a {@link NoSuchFileException}, and one not readable an
     * {@link AccessDeniedException}, as {@code java.nio.file} would say.
     */
    private static byte[] readBytes(String path, byte[] buffer, boolean shortReadEnds) throws IOException {
        try {
            return readAll(path, buffer, shortReadEnds);
        } catch (IOException e) {
            // FileInputStream gives the errno only as its message: "PATH (No such file or directory)" from the open,
            // the bare text from a read
            String message = String.valueOf(e.getMessage());
            if (message.endsWith(ENOENT) || message.endsWith(ENOENT + ")")) throw new NoSuchFileException(path);
            if (message.endsWith(EACCES + ")")) throw new AccessDeniedException(path);
            throw e;
        }
    }

    private static final String ENOENT = "No such file or directory";
    private static final String EACCES = "Permission denied";

    /**
     * A FileInputStream, although its open also calls fstat (to refuse a directory: one system call in five per
     * descriptor of a listing): a FileChannel, which does not, is interruptible, so a listing on a thread whose
     * interrupt flag is set (a Ctrl-C being handled) would fail instead of reading the table.
     */
    private static byte[] readAll(String path, byte[] buffer, boolean shortReadEnds) throws IOException {
        try (FileInputStream in = new FileInputStream(path)) {
            byte[] b = buffer;
            int length = 0;
            int n;
            while ((n = in.read(b, length, b.length - length)) > 0) {
                length += n;
                if (length == b.length) b = Arrays.copyOf(b, b.length * 2); // a big epoll set, a long command line
                else if (shortReadEnds) break;
            }
            return Arrays.copyOf(b, length);
        }
    }

    /** The whole file as UTF-8 text. */
    static String readUtf8(Path path) throws IOException {
        return new String(readBytes(path.toString(), new byte[8192]), StandardCharsets.UTF_8);
    }

    /**
     * A descriptor or process number ({@code /proc} directory entry names), or -1 when {@code name} is not one.
     * Hand-written: Integer.parseInt goes through Character.digit per digit, which 19,000 names make felt in the
     * interpreter, before the JIT has compiled it.
     */
    static int number(String name) {
        int length = name.length();
        if (length == 0 || length > 9) return -1;
        int value = 0;
        for (int i = 0; i < length; i++) {
            int digit = name.charAt(i) - '0';
            if (digit < 0 || digit > 9) return -1;
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * Whether {@code processDir}'s process is a zombie or dead (state Z or X in its {@code stat}). False when the
     * file cannot be read: callers find out why from the files they actually need.
     */
    static boolean isZombieOrDead(Path processDir) {
        String stat;
        try {
            stat = new String(readBytes(processDir.resolve("stat").toString(), new byte[512]), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return false;
        }
        int close = stat.lastIndexOf(')'); // the command name in parentheses may hold anything, even ')'
        char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
        return state == 'Z' || state == 'X';
    }
}
