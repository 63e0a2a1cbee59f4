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

/** Builds a C example (the leaky programs jhtrace traces in its demo and tests) with {@code gcc -g -O0}. */
public final class CProgram {
    private CProgram() {
    }

    /**
     * Compiles {@code source} into {@code binary} unless the binary is already newer than the source.
     *
     * @param extraArgs further gcc arguments, e.g. {@code -pthread}
     * @return the binary
     */
    public static synchronized Path build(Path source, Path binary, String... extraArgs) {
        try {
            if (Files.isRegularFile(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) return binary;
            Files.createDirectories(binary.toAbsolutePath().getParent());
            List<String> command = new ArrayList<>(List.of("gcc", "-g", "-O0", "-Wall", "-pthread", "-o", binary.toString(), source.toString()));
            command.addAll(List.of(extraArgs));
            Process gcc;
            try {
                gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "gcc not found: install it (apt-get install -y gcc) to build " + source.getFileName());
            }
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new JhtraceException(Failure.OTHER, "gcc failed to build " + source + ": " + log.lines().findFirst().orElse(""));
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
