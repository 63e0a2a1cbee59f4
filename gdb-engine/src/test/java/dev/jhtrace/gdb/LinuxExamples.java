package dev.jhtrace.gdb;

import dev.jhtrace.examples.CProgram;

import java.nio.file.Path;

/** Builds the C examples of {@code examples/linux} on demand (gcc -g -O0) into {@code target/examples}. */
public final class LinuxExamples {
    private LinuxExamples() {
    }

    /** The repository root (surefire's {@code jhtrace.root}, else the parent of the working directory). */
    public static Path root() {
        String r = System.getProperty("jhtrace.root");
        return r != null ? Path.of(r) : Path.of("").toAbsolutePath().getParent();
    }

    /** The executable for {@code examples/linux/NAME.c}, compiled if missing or older than its source. */
    public static Path build(String name) {
        return CProgram.build(root().resolve("examples/linux/" + name + ".c"), Path.of("target/examples").toAbsolutePath().resolve(name));
    }
}
