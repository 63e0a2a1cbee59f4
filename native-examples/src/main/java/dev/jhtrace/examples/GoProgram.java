package dev.jhtrace.examples;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds a one-file Go example with the Go toolchain ({@code go build}, Debian's golang-go), for the engines' tests. */
public final class GoProgram {
    private GoProgram() {
    }

    /**
     * Compiles {@code source} (one file, no module) into {@code binary} unless the binary is already newer than it.
     *
     * @param extraArgs further {@code go build} arguments, e.g. {@code -ldflags=-s}
     * @return the binary
     */
    public static synchronized Path build(Path source, Path binary, String... extraArgs) {
        try {
            if (Files.isRegularFile(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) return binary;
            Path dir = binary.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of("go", "build", "-o", binary.toString()));
            command.addAll(List.of(extraArgs));
            command.add(source.toString());
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("GO111MODULE", "off"); // one file, no module
            pb.environment().putIfAbsent("GOCACHE", dir.resolve("go-cache").toString());
            Process go;
            try {
                go = pb.start();
            } catch (IOException e) {
                throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "go not found: install it (apt-get install -y golang-go) to build " + source.getFileName());
            }
            String log = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!go.waitFor(300, TimeUnit.SECONDS) || go.exitValue() != 0) {
                throw new JhtraceException(Failure.OTHER, "go build failed for " + source + ": " + log.lines().findFirst().orElse(""));
            }
            return binary;
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot build " + source + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JhtraceException(Failure.OTHER, "interrupted while building " + source);
        }
    }
}
