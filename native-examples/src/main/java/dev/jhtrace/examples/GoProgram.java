package dev.jhtrace.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a one-file Go example with the Go toolchain ({@code go build}, Debian's golang-go), for the engines' tests. */
public final class GoProgram {
    private static final Compiler GO = new Compiler("go", "golang-go", 300);

    private GoProgram() {
    }

    /**
     * Compiles {@code source} (one file, no module) into {@code binary} unless the binary is already newer than it.
     *
     * @param extraArgs further {@code go build} arguments, e.g. {@code -ldflags=-s}
     * @return the binary
     */
    public static synchronized Path build(Path source, Path binary, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of("go", "build", "-o", binary.toString()));
        command.addAll(List.of(extraArgs));
        command.add(source.toString());
        Path dir = binary.toAbsolutePath().getParent();
        return GO.build(source, binary, command, pb -> {
            pb.directory(dir.toFile());
            pb.environment().put("GO111MODULE", "off"); // one file, no module
            pb.environment().putIfAbsent("GOCACHE", dir.resolve("go-cache").toString());
        });
    }
}
