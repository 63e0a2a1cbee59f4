package dev.jhtrace.shell.script;

import dev.jhtrace.shell.CliRunner;
import dev.jhtrace.shell.support.LeakyTarget;
import dev.jhtrace.spi.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code jhtrace script}: arguments, exit codes, and errors as FILE:LINE: message. */
class ScriptCommandTest {
    private static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void argumentsAndOutput(@TempDir Path dir) throws IOException {
        Path s = write(dir, "show-args.groovy", "println \"${args.length}: ${args.join(',')}\"\n");
        CliRunner r = CliRunner.run("script", s.toString(), "a", "--b", "c d");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("3: a,--b,c d\n", r.out());
    }

    @Test
    void aLaunchedCommandIsDiffedFromBeforeItsFirstInstruction(@TempDir Path dir) throws IOException {
        // 15 requests: every 3rd leaks a file (5), every 5th a socket (3); the diff is taken after it exited
        Path s = write(dir, "launch.groovy", String.join("\n",
                "def p = launch([args[0], '0.3', '50'])",
                "def start = p.htrace.enable()",
                "while (p.alive) sleep 50",
                "def leaks = p.htrace.diff(start)",
                "println \"${start.name()} ${leaks.size()} ${p.name}\"",
                "leaks.byFunction().each { println \"${it.count} ${it.key}\" }",
                ""));
        CliRunner r = CliRunner.run("script", s.toString(), dev.jhtrace.shell.support.Examples.build("demo-server", "launch-demo").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("launch 8 launch-demo\n"), r.out());
        assertTrue(r.out().contains("5 launch-demo!load_template\n") && r.out().contains("3 launch-demo!connect_backend\n"), r.out());
    }

    @Test
    void theWindowsTracingConsentReachesWhatTheScriptAttachesWith(@TempDir Path dir) throws IOException {
        // the options the script's jhtrace object attaches and launches with (the engine checks the consent there)
        Path s = write(dir, "consent.groovy", "println jhtrace.defaults.sideEffectsAccepted()\n");
        assertEquals("false\n", CliRunner.run("script", s.toString()).out());
        assertEquals("true\n", CliRunner.run("script", "--accept-invalid-handle-exceptions", s.toString()).out());
    }

    @Test
    void runtimeErrorNamesFileAndLineWithoutAStackDump(@TempDir Path dir) throws IOException {
        Path s = write(dir, "bad.groovy", "def x = 1\n\nthrow new IllegalStateException('boom')\n");
        CliRunner r = CliRunner.run("script", s.toString());
        assertEquals(1, r.exitCode());
        assertEquals("jhtrace: bad.groovy:3: IllegalStateException: boom\n", r.err());
    }

    @Test
    void errorInsideAClosureNamesItsLine(@TempDir Path dir) throws IOException {
        Path s = write(dir, "closure.groovy", "[1, 2].each {\n    it.noSuchMethod()\n}\n");
        CliRunner r = CliRunner.run("script", s.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("jhtrace: closure.groovy:2: No signature of method: java.lang.Integer.noSuchMethod()"), r.err());
    }

    @Test
    void compileErrorNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path s = write(dir, "syntax.groovy", "println 'ok'\ndef = = 2\n");
        CliRunner r = CliRunner.run("script", s.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().matches("jhtrace: syntax\\.groovy:2:\\d+: .+\n"), r.err());
        assertEquals("", r.out(), "nothing ran");
    }

    @Test
    void jhtraceFailuresKeepTheirExitCodes(@TempDir Path dir) throws IOException {
        CliRunner notFound = CliRunner.run("script", write(dir, "open.groovy", "open('/nonexistent.dmp')\n").toString());
        assertEquals(4, notFound.exitCode());
        assertEquals("jhtrace: open.groovy:1: no such file: /nonexistent.dmp\n", notFound.err());
        CliRunner usage = CliRunner.run("script", write(dir, "usage.groovy", "if (!args) usage('usage.groovy FILE')\n").toString());
        assertEquals(2, usage.exitCode());
        assertEquals("jhtrace: usage.groovy:1: usage: usage.groovy FILE\n", usage.err());
        CliRunner exit = CliRunner.run("script", write(dir, "exit.groovy", "println 'bye'\nexit(5)\nprintln 'not reached'\n").toString());
        assertEquals(5, exit.exitCode());
        assertEquals("bye\n", exit.out());
        assertEquals("", exit.err());
        CliRunner missing = CliRunner.run("script", dir.resolve("none.groovy").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no such script"), missing.err());
    }

    @Test
    void withTracingDisablesAndDetachesWhenTheBodyFails(@TempDir Path dir) throws Exception {
        assumeTrue(Engines.named("gdb").availability().available(), "gdb engine unavailable");
        try (LeakyTarget target = LeakyTarget.start("x", 300)) {
            Path s = write(dir, "fails.groovy", String.join("\n",
                    "withTracing(attach(pid: " + target.pid() + ")) { p ->",
                    "    assert p.htrace.enabled",
                    "    println \"traced: ${new File('/proc/" + target.pid() + "/status').text.find(/TracerPid:\\s+(\\d+)/) { it[1] } != '0'}\"",
                    "    throw new RuntimeException('the body failed')",
                    "}", ""));
            // gdb: its tracing shows in TracerPid (perf traces without ptrace)
            CliRunner r = CliRunner.run("script", "--engine", "gdb", s.toString());
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertEquals("traced: true\n", r.out());
            assertEquals("jhtrace: fails.groovy:4: RuntimeException: the body failed", r.err().lines().findFirst().orElse(""));
            // (if the engine fails to disable tracing, detaching ends it and a warning line says so)
            assertTrue(r.err().lines().skip(1).allMatch(l -> l.startsWith("jhtrace: warning: disabling tracing on ")), r.err());
            assertNull(target.waitUntilRunningFree(10_000), "tracing off, detached, running");
            assertFalse(!target.isAlive());
        }
    }
}
