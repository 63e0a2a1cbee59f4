package dev.jhtrace.gdb.proc;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles the C programs of {@code examples/linux} with {@code gcc -g -O0} into {@code target/native}, once per
 * source change. Tests that need one skip (with the reason) where there is no Linux or no gcc.
 */
final class NativeExamples {
    private static final Path OUT = Path.of("target", "native");

    private NativeExamples() {
    }

    /** The repository root: the {@code jhtrace.root} system property surefire sets, else the parent of this module. */
    static Path root() {
        String root = System.getProperty("jhtrace.root");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    }

    /** Compiles {@code examples/linux/NAME.c} (with extra gcc arguments) and returns the executable. */
    static synchronized Path compile(String name, String... extraArgs) throws IOException, InterruptedException {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs Linux /proc");
        Path source = root().resolve("examples/linux/" + name + ".c");
        Path binary = OUT.resolve(name).toAbsolutePath();
        if (Files.exists(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return binary;
        }
        Files.createDirectories(OUT);
        List<String> command = new ArrayList<>(List.of("gcc", "-g", "-O0", "-Wall", "-o", binary.toString(), source.toString()));
        command.addAll(List.of(extraArgs));
        Process gcc;
        try {
            gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("gcc is not installed: " + e.getMessage());
            throw e;
        }
        String output = new String(gcc.getInputStream().readAllBytes());
        if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IllegalStateException("gcc failed for " + source + ":\n" + output);
        }
        return binary;
    }
}
