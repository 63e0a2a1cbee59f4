package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.CliRunner;
import dev.jhtrace.shell.support.LeakyTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            ReplFeed repl = ReplFeed.start("perf");
            repl.send("attach --all");
            repl.awaitOut("tracing every process (perf)", 60);
            // the leaker is listed once it holds something it opened while traced
            Pattern line = Pattern.compile("(?m)^[ .]\\s*(\\d+)  id: " + Integer.toHexString(leaker.pid()) + "  \\(0n" + leaker.pid() + "\\)  name: "
                    + leaker.name() + "$");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Matcher m = line.matcher("");
            while (!m.find() && System.nanoTime() < deadline) {
                repl.send("|");
                Thread.sleep(300);
                m = line.matcher(repl.out());
            }
            assertTrue(m.find(0), "the leaker among the processes: " + repl.out() + repl.err());
            repl.send("|" + m.group(1) + "s");
            repl.awaitOut("current: " + leaker.name() + " (pid " + leaker.pid(), 30);
            repl.send("!htrace -diff");
            repl.send("q");
            assertEquals(0, repl.end(120), repl.err());
            String after = repl.out().substring(repl.out().indexOf("current: " + leaker.name()));
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
