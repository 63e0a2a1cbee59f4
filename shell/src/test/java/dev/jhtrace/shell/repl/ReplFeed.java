package dev.jhtrace.shell.repl;

import java.io.IOException;
import java.io.PipedOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typing into a {@link Repl#runLines} session and waiting for what it prints (tests). */
final class ReplFeed {
    private ReplFeed() {
    }

    static void send(PipedOutputStream feed, String line) throws IOException {
        feed.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        feed.flush();
    }

    /** Waits until {@code out} holds {@code text}, failing with both outputs after {@code seconds}. */
    static void awaitOut(StringWriter out, StringWriter err, String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!out.toString().contains(text) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(out.toString().contains(text), "no '" + text + "': " + out + err);
    }
}
