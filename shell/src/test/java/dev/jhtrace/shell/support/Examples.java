package dev.jhtrace.shell.support;

import dev.jhtrace.examples.CProgram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The checkout's files for tests: examples/linux programs (built on demand with gcc), scripts/, fixtures. */
public final class Examples {
    private Examples() {
    }

    /** The repository root (surefire's {@code jhtrace.root}). */
    public static Path root() {
        String r = System.getProperty("jhtrace.root");
        return r != null ? Path.of(r) : Path.of("").toAbsolutePath().getParent();
    }

    /** The shared read-only fixtures ({@code jhtrace.shared}). */
    public static Path shared() {
        String s = System.getProperty("jhtrace.shared");
        return s != null ? Path.of(s) : root().resolveSibling("shared");
    }

    /**
     * {@code examples/linux/NAME.c} compiled (gcc -g -O0) to {@code target/examples/AS}: a name of the
     * test's own, so that completing or finding it by name never meets another test's process.
     */
    public static synchronized Path build(String name, String as) {
        Path out = CProgram.build(root().resolve("examples/linux/" + name + ".c"), Path.of("target/examples").toAbsolutePath().resolve(name));
        try {
            Path copy = out.resolveSibling(as);
            Files.copy(out, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            return copy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + out + ": " + e, e);
        }
    }
}
