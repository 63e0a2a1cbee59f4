package dev.jhtrace.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A kernel setting read from {@code /proc/sys}, as {@code sysctl -n} prints it.
 *
 * <p>Not {@code Files.readString}: a number's file there reports size 0, so the JDK reads one byte first, and the kernel
 * answers any read past offset 0 of such a file with end-of-file. {@code kernel.perf_event_paranoid} at -1 read as "-".
 */
public final class Sysctl {
    private Sysctl() {
    }

    /** The value of {@code name} ("kernel.perf_event_paranoid", "fs.pipe-max-size"), empty when the kernel has none. */
    public static Optional<String> value(String name) {
        Path file = Path.of("/proc/sys", name.replace('.', '/'));
        try (BufferedReader in = Files.newBufferedReader(file)) { // one read of its buffer's size: the whole value
            String line = in.readLine();
            return line == null ? Optional.empty() : Optional.of(line.strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
