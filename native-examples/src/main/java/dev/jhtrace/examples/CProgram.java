package dev.jhtrace.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a C example (the leaky programs jhtrace traces in its demo and tests) with {@code gcc -g -O0}. */
public final class CProgram {
    private static final Compiler GCC = new Compiler("gcc", "gcc", 120);

    private CProgram() {
    }

    /**
     * Compiles {@code source} into {@code binary} unless the binary is already newer than the source.
     *
     * @param extraArgs further gcc arguments, e.g. {@code -pthread}
     * @return the binary
     */
    public static synchronized Path build(Path source, Path binary, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of("gcc", "-g", "-O0", "-Wall", "-pthread", "-o", binary.toString(), source.toString()));
        command.addAll(List.of(extraArgs));
        return GCC.build(source, binary, command, pb -> { });
    }
}
