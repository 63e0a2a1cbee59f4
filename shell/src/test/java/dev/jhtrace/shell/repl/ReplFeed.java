package dev.jhtrace.shell.repl;

import dev.jhtrace.spi.Engines;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A {@link Repl#runLines} session on its own thread, typed into line by line, its output collected (tests). */
final class ReplFeed {
    private final PipedOutputStream feed = new PipedOutputStream();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> repl;

    private ReplFeed(String engine) throws IOException {
        PipedInputStream in = new PipedInputStream(feed);
        repl = CompletableFuture.supplyAsync(() -> {
            try {
                return Repl.runLines(in, new PrintWriter(out, true), new PrintWriter(err, true), () -> Engines.named(engine));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A session whose commands use engine {@code engine}. */
    static ReplFeed start(String engine) throws IOException {
        return new ReplFeed(engine);
    }

    void send(String line) throws IOException {
        feed.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        feed.flush();
    }

    /** Waits until the output holds {@code text}, failing with both outputs after {@code seconds}. */
    void awaitOut(String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!out.toString().contains(text) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(out.toString().contains(text), "no '" + text + "': " + out + err);
    }

    /** Ends the input and returns the session's exit code, waiting at most {@code seconds}. */
    int end(int seconds) throws Exception {
        feed.close();
        return repl.get(seconds, TimeUnit.SECONDS);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
