package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.CliRunner;
import dev.jhtrace.shell.support.LeakyTarget;
import dev.jhtrace.spi.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every process of the machine from the shell (WinDbg's {@code |} and {@code |N s}) and from Groovy
 * ({@code attachAll()}, {@code children}), on the real perf engine. The leaker is started before jhtrace: what
 * jhtrace's own JVM (the tests') forks while perf runs is left out as jhtrace's.
 */
class ProcessGroupTest {

    @Test
    @Timeout(180)
    void attachAllListsTheProcessesSeenAndMakesOneCurrentForItsDiff() throws Exception {
        try (LeakyTarget leaker = LeakyTarget.start("pg", 120)) {
            PipedOutputStream feed = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(feed);
            StringWriter out = new StringWriter(), err = new StringWriter();
            CompletableFuture<Integer> repl = CompletableFuture.supplyAsync(() -> {
                try {
                    return Repl.runLines(in, new PrintWriter(out, true), new PrintWriter(err, true), () -> Engines.named("perf"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ReplFeed.send(feed, "attach --all");
            ReplFeed.awaitOut(out, err, "tracing every process (perf)", 60);
            // the leaker is listed once it holds something it opened while traced
            Pattern line = Pattern.compile("(?m)^[ .]\\s*(\\d+)  id: " + Integer.toHexString(leaker.pid()) + "  \\(0n" + leaker.pid() + "\\)  name: "
                    + leaker.name() + "$");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Matcher m = line.matcher("");
            while (!m.find() && System.nanoTime() < deadline) {
                ReplFeed.send(feed, "|");
                Thread.sleep(300);
                m = line.matcher(out.toString());
            }
            assertTrue(m.find(0), "the leaker among the processes: " + out + err);
            ReplFeed.send(feed, "|" + m.group(1) + "s");
            ReplFeed.awaitOut(out, err, "current: " + leaker.name() + " (pid " + leaker.pid(), 30);
            ReplFeed.send(feed, "!htrace -diff");
            ReplFeed.send(feed, "q");
            feed.close();
            assertEquals(0, repl.get(120, TimeUnit.SECONDS), err.toString());
            String after = out.toString().substring(out.toString().indexOf("current: " + leaker.name()));
            assertTrue(after.contains("handle_request"), "its diff names its leaking function: " + after);
            assertTrue(leaker.isAlive(), "the leaker runs on");
        }
    }

    @Test
    @Timeout(180)
    void aGroovyScriptTracesEveryProcessAndDiffsOneOfTheChildren(@TempDir Path tmp) throws Exception {
        try (LeakyTarget leaker = LeakyTarget.start("pg", 120)) {
            Path script = tmp.resolve("all.groovy");
            Files.writeString(script, """
                    def all = attachAll()
                    all.htrace.enable()
                    def pid = args[0] as int
                    def p = null
                    def deadline = System.currentTimeMillis() + 60_000
                    while (p == null && System.currentTimeMillis() < deadline) {
                        sleep 300
                        p = all.children.find { it.pid == pid }
                    }
                    p.htrace.enable()
                    sleep 1500
                    def leaks = p.htrace.diff()
                    println "child: ${p.name} parent: ${p.parent.is(all)}"
                    println "frames: " + leaks.byLeakFrame().asList().collect { it.leakFrame?.function }.findAll().sort().join(',')
                    all.detach()
                    """, StandardCharsets.UTF_8);
            CliRunner r = CliRunner.run("script", "--engine", "perf", script.toString(), String.valueOf(leaker.pid()));
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("child: " + leaker.name() + " parent: true"), r.out());
            assertTrue(r.out().matches("(?s).*frames: [a-z_,]*handle_request[a-z_,]*\\n.*"), r.out());
            assertTrue(leaker.isAlive(), "the leaker runs on");
        }
    }
}
