package dev.jhtrace.proc;

import dev.jhtrace.examples.CProgram;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Path;

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
        return CProgram.build(source, OUT.resolve(name).toAbsolutePath(), extraArgs);
    }
}
