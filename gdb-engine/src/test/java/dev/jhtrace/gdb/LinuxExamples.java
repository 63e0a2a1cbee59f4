package dev.jhtrace.gdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
    public static synchronized Path build(String name) {
        Path src = root().resolve("examples/linux/" + name + ".c");
        Path out = Path.of("target/examples").toAbsolutePath().resolve(name);
        try {
            if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) >= 0) return out;
            Files.createDirectories(out.getParent());
            Process p = new ProcessBuilder("gcc", "-g", "-O0", "-Wall", "-pthread", "-o", out.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("gcc failed for " + src + ": " + log);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build " + src + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
