package dev.jhtrace.dump;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared, read-only fixtures are: the {@code jhtrace.shared} property surefire sets. */
final class Fixtures {
    static final String BREAKPAD = "breakpad-tiny-exe-cet-crashpad-x64.dmp";
    static final String WER = "wer-triage-purplewinstore-x64.dmp";
    static final String CHROME = "chrome129-many-handles-x64.dmp";

    private Fixtures() {
    }

    static Path shared() {
        Path p = Path.of(System.getProperty("jhtrace.shared", "../../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) throw new IllegalStateException("shared fixtures not found at " + p + " (set -Djhtrace.shared)");
        return p;
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(dump(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path dump(String name) {
        return shared().resolve("fixtures/dumps").resolve(name);
    }
}
