package dev.jhtrace.shell.script;

import dev.jhtrace.shell.CliRunner;
import dev.jhtrace.shell.api.Jhtrace;
import dev.jhtrace.shell.api.Target;
import dev.jhtrace.shell.support.Examples;
import dev.jhtrace.shell.support.LeakyTarget;
import dev.jhtrace.spi.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every script in scripts/, run with jhtrace script against real targets. */
class ScriptsTest {
    /** The scripts this class runs; a script added to scripts/ without a test here fails {@link #everyScriptIsTested}. */
    private static final Set<String> TESTED = Set.of("find-leaks.groovy", "watch-growth.groovy", "compare.groovy",
            "top-leakers-by-module.groovy", "w3wp-key-hunt.groovy");

    @BeforeAll
    static void needsGdb() {
        assumeTrue(Engines.named("gdb").availability().available(), "gdb engine unavailable: " + Engines.named("gdb").availability().detail());
    }

    static String script(String name) {
        return Examples.root().resolve("scripts").resolve(name).toString();
    }

    @Test
    void everyScriptIsTestedAndSaysWhatItDoes() throws IOException {
        try (Stream<Path> files = Files.list(Examples.root().resolve("scripts"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".groovy")).toList()) {
                assertTrue(TESTED.contains(p.getFileName().toString()), p + " has no test in ScriptsTest");
                String head = Files.readString(p);
                assertTrue(head.startsWith("/*\n * " + p.getFileName() + ": "), p + " starts with a header naming it and what it does");
                assertTrue(head.contains("jhtrace script scripts/" + p.getFileName()), p + " header shows its usage");
            }
        }
    }

    @Test
    void findLeaksReportsTheLeakingFunctionsAndDetaches() throws Exception {
        try (LeakyTarget target = LeakyTarget.start("f", 300)) {
            CliRunner r = CliRunner.run("script", script("find-leaks.groovy"), String.valueOf(target.pid()), "2", "2");
            assertEquals(3, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("tracing " + target.name() + " (pid " + target.pid() + ", perf) for 2s"), r.out());
            assertTrue(r.out().matches("(?s).*#1  \\d+ x Socket  leaked by " + target.name() + "!handle_request\\+0x[0-9a-f]+.*"), r.out());
            assertTrue(r.out().matches("(?s).*#2  \\d+ x File  leaked by " + target.name() + "!reload_config\\+0x[0-9a-f]+.*"), r.out());
            assertTrue(r.out().contains("  > 0x"), "the full stack, leaking frame marked: " + r.out());
            assertNull(target.waitUntilRunningFree(10_000));
        }
    }

    @Test
    void watchGrowthFlagsSteadyGrowth() throws Exception {
        try (LeakyTarget target = LeakyTarget.start("g", 300)) {
            CliRunner r = CliRunner.run("script", script("watch-growth.groovy"), String.valueOf(target.pid()), "1.2", "3");
            assertEquals(3, r.exitCode(), r.out() + r.err());
            assertEquals(3, r.out().lines().filter(l -> l.matches(" +\\d+ +\\d+ handles  \\{.*")).count(), r.out());
            assertTrue(r.out().matches("(?s).*GROWING  Socket +\\d+ -> \\d+  \\(\\+\\d+ in 2s, [0-9.]+/s\\).*"), r.out());
            assertTrue(r.out().contains("GROWING  File"), r.out());
            assertNull(target.waitUntilRunningFree(10_000));
        }
    }

    @Test
    void topLeakersByModuleNamesTheExecutableAndItsFunctions() throws Exception {
        try (LeakyTarget target = LeakyTarget.start("m", 300)) {
            CliRunner r = CliRunner.run("script", script("top-leakers-by-module.groovy"), String.valueOf(target.pid()), "2", "3");
            assertEquals(3, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().matches("(?s).*#1  " + target.name() + " +\\d+ handles.*"), r.out());
            assertTrue(r.out().matches("(?s).*\n +" + target.name() + "!handle_request +\\d+  .*leaky-rates\\.c:\\d+\n.*"), r.out());
            assertTrue(r.out().contains(target.name() + "!reload_config"), r.out());
            assertNull(target.waitUntilRunningFree(10_000));
        }
    }

    @Test
    void compareShowsWhatGrewBetweenTwoSavedSessions(@TempDir Path dir) throws Exception {
        Path before = dir.resolve("before.json"), after = dir.resolve("after.json");
        try (LeakyTarget target = LeakyTarget.start("c", 300); Jhtrace api = new Jhtrace()) {
            Target t = api.attach(target.pid());
            t.getHtrace().enable();
            api.save(t, before);
            api.sleep(2_000);
            t.getHtrace().snapshot();
            api.save(t, after);
            t.detach(); // ends tracing with the debugger (this test is about compare.groovy, not disabling)
            assertNull(target.waitUntilRunningFree(10_000));
        }
        CliRunner r = CliRunner.run("script", script("compare.groovy"), before.toString(), after.toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*\nSocket +\\d+ +\\d+ +\\+\\d+\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*grew: .*Socket \\+\\d+.*"), r.out());
        assertTrue(r.out().contains("!handle_request"), "the leaks in the later session: " + r.out());

        CliRunner same = CliRunner.run("script", script("compare.groovy"), before.toString(), before.toString());
        assertEquals(0, same.exitCode(), same.out() + same.err());
        assertTrue(same.out().contains("nothing grew"), same.out());
    }

    @Test
    void w3wpKeyHuntReplaysTheSeed() {
        CliRunner r = CliRunner.run("script", script("w3wp-key-hunt.groovy"), Examples.root().resolve("examples/windbg/w3wp-key-leak.log").toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertEquals(List.of(
                "1. !handle 0 0: 66316 handles; Key is 65602 of them (98.9%)",
                "2. !handle 0 ff Key: 3 listed, 2 without a name; named: \\REGISTRY\\MACHINE\\SOFTWARE\\Classes",
                "3. !htrace -diff: 2 outstanding handle(s)",
                "   2 x (unknown)  leaked by MyCustomDll!RegSetValueW+0x1543",
                "",
                "MyCustomDll opens Key handles in MyCustomDll!RegSetValueW+0x1543 and does not close them."), r.out().lines().toList());
    }
}
