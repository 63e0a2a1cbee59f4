package dev.jhtrace.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Named pipes: Java has no mkfifo, so the system's makes them (owner-only). */
final class Fifo {
    private Fifo() {
    }

    /** Makes a FIFO at {@code path}, readable and writable by its owner only. */
    static Path make(Path path) throws IOException {
        Process mk = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
        String out = new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (mk.waitFor() != 0) throw new IOException("mkfifo: " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making a FIFO", e);
        }
        return path;
    }
}
