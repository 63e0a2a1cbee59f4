package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The perf engine's notes on descriptors received into the heap (Python's socket.recv_fds: control data where perf's
 * stack copy does not reach) after a diff in the shell, and from Groovy as {@code target.traceNotes}, on an attached
 * Python program; a diff before the receive has none.
 */
class TraceNotesTest {
    private static final String NOTE = "1 received message held control data outside the stack perf copies (SCM_RIGHTS into the heap): ";
    /** Prints its pid, receives 3 descriptors into the heap when told ("go"), keeps 2, prints "received", and waits. */
    private static final String RECEIVER = dev.jhtrace.shell.support.Examples.root().resolve("examples/linux/recvfds.py").toString();

    private record Receiver(Process process, BufferedReader out, PrintWriter in) implements AutoCloseable {
        static Receiver start() throws IOException {
            Process p = new ProcessBuilder("/usr/bin/python3", RECEIVER, "wait", "hold").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Receiver r = new Receiver(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                    new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(Long.toString(p.pid()), r.out.readLine(), "the receiver prints its pid first");
            return r;
        }

        void receive() throws IOException {
            in.println("go");
            assertEquals("received", out.readLine());
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    @Timeout(180)
    void aDiffInTheShellEndsWithTheNotes() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            ReplFeed repl = ReplFeed.start("perf");
            repl.send("attach " + receiver.process().pid());
            repl.send("!htrace -enable");
            repl.send("diff");
            repl.awaitOut("outstanding handle", 60);
            String before = repl.out();
            receiver.receive();
            repl.send("diff");
            repl.send("!htrace -diff");
            repl.send("q");
            assertEquals(0, repl.end(120), repl.err());
            assertFalse(before.contains("note: "), "no receive yet, no note: " + before);
            String after = repl.out().substring(before.length());
            int first = after.indexOf("note: " + NOTE);
            assertTrue(first >= 0, "diff's note: " + after);
            assertTrue(after.indexOf("note: " + NOTE, first + 1) > first, "!htrace -diff's note too: " + after);
            assertTrue(receiver.process().isAlive(), "the receiver runs on");
        }
    }

    @Test
    @Timeout(180)
    void aGroovyScriptReadsTheNotes(@TempDir Path tmp) throws Exception {
        try (Receiver receiver = Receiver.start()) {
            Path go = tmp.resolve("go");
            Path received = tmp.resolve("received");
            Path script = tmp.resolve("notes.groovy");
            // the script asks for the receive through a file this test watches, and waits for the test's answer
            Files.writeString(script, """
                    def t = attach(args[0] as int)
                    t.htrace.enable()
                    println "before: ${t.traceNotes.size()}"
                    new File(args[1]).text = 'go'
                    def deadline = System.currentTimeMillis() + 60_000
                    while (!new File(args[2]).exists() && System.currentTimeMillis() < deadline) sleep 50
                    t.htrace.diff()
                    t.traceNotes.each { println "note: $it" }
                    """);
            CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() ->
                    CliRunner.run("script", "--engine", "perf", script.toString(), Long.toString(receiver.process().pid()), go.toString(), received.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(go) && !run.isDone() && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(Files.exists(go), "the script attached: " + (run.isDone() ? run.get().err() : "(still running)"));
            receiver.receive();
            Files.writeString(received, "yes");
            CliRunner r = run.get(120, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("before: 0\n"), r.out());
            assertTrue(r.out().contains("note: " + NOTE), r.out());
            assertTrue(receiver.process().isAlive(), "the receiver runs on");
        }
    }
}
