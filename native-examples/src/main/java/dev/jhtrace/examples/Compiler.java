package dev.jhtrace.examples;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A toolchain command that builds one example's binary from its one source file, unless the binary is up to date. */
record Compiler(String tool, String debianPackage, long timeoutSeconds) {

    /**
     * Runs {@code command} (which writes {@code binary}) unless {@code binary} is newer than {@code source}.
     *
     * @param setUp adjusts the process (its directory, environment)
     * @return the binary
     */
    Path build(Path source, Path binary, List<String> command, Consumer<ProcessBuilder> setUp) {
        try {
            if (Files.isRegularFile(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) return binary;
            Files.createDirectories(binary.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            setUp.accept(pb);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, tool + " not found: install it (apt-get install -y " + debianPackage + ") to build "
                        + source.getFileName());
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new JhtraceException(Failure.OTHER, tool + " failed to build " + source + ": " + log.lines().findFirst().orElse(""));
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
