package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.support.LeakyTarget;
import dev.jhtrace.shell.support.Tmux;
import dev.jhtrace.spi.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shell in a real terminal (tmux), typed at like a person: completion, WinDbg commands against a
 * live Linux process, Ctrl-C during a wait, Ctrl-D leaving, history.
 */
class ReplTerminalTest {
    private static final long SLOW = 60_000;

    @BeforeAll
    static void needsTmuxAndGdb() {
        assumeTrue(Tmux.available(), "tmux is not installed");
        org.junit.jupiter.api.Assertions.assertTrue(Engines.named("gdb").availability().available(), "gdb engine unavailable: " + Engines.named("gdb").availability().detail()); // gdb is required (.ci/run installs it): fail, never skip
    }

    @Test
    void huntALeakWithWindbgCommandsCompletionAndCtrlC(@TempDir Path home) throws Exception {
        try (LeakyTarget target = LeakyTarget.start("t", 300); Tmux t = Tmux.jhtrace(home, "shell", "--engine", "gdb")) {
            t.waitFor("jhtrace> ", SLOW);

            // command completion, then process-name completion
            t.type("att").press("Tab");
            t.waitFor("attach completed", s -> s.contains("jhtrace> attach "), 10_000);
            t.type(target.name().substring(0, target.name().length() - 2)).press("Tab");
            t.waitFor("jhtrace> attach " + target.name() + " ", 10_000);
            t.press("Enter");
            t.waitFor("attached to " + target.name() + " (pid " + target.pid() + ", gdb)", SLOW);

            t.type("!htrace -enable").press("Enter");
            t.waitFor("Handle tracing enabled.\nHandle tracing information snapshot successfully taken.", SLOW);

            t.type("!handle 0 0").press("Enter");
            // (the terminal shows WinDbg's tabs as spaces)
            String summary = t.waitFor("!handle summary", s -> s.matches("(?s).*\\d+ Handles\nType\\s+Count\n.*Socket\\s+\\d+\n.*"), SLOW);
            assertTrue(summary.matches("(?s).*\nFile\\s+\\d+\n.*"), summary);

            // snapshot names and handle types complete too
            t.type("snapshot mark").press("Enter");
            t.waitFor("snapshot 'mark'", SLOW);
            t.type("handles --type Soc").press("Tab");
            t.waitFor("jhtrace> handles --type Socket", 10_000);
            t.press("C-u"); // clear the line
            target.awaitDescriptors(target.descriptors() + 20, SLOW); // a few of each kind leaked since the mark
            t.type("diff ma").press("Tab");
            t.waitFor("jhtrace> diff mark", 10_000);
            t.type(" --top 2").press("Enter");
            String diff = t.waitFor("#2 ", SLOW);
            assertTrue(diff.contains("outstanding handles since 'mark'"), diff);
            assertTrue(diff.matches("(?s).*#1 +\\d+ x Socket  leaked by " + target.name() + "!handle_request\\+0x[0-9a-f]+  .*leaky-rates\\.c:\\d+.*"), diff);

            t.type("show 1").press("Enter");
            t.waitFor("  > 0x", SLOW);

            // watch until Ctrl-C: the view is redrawn in place; the shell stays, the target keeps running
            t.type("watch --every 1s").press("Enter");
            String watching = t.waitFor("watch samples", s -> s.contains("(sample 3)") && s.contains("  + 0x"), SLOW);
            assertEquals(1, Tmux.count(watching, " handles  (sample "), "one view, redrawn: " + watching);
            String coloured = t.rawOutput();
            assertTrue(coloured.contains("\u001b[32m  + 0x"), "new handles are green on a terminal: "
                    + coloured.lines().filter(l -> l.contains("+ 0x")).findFirst().orElse("").replace("\u001b", "ESC"));
            t.press("C-c");
            t.waitFor("watch stopped after", 10_000);
            t.waitFor("prompt back", s -> s.stripTrailing().endsWith("jhtrace>"), 10_000);

            t.type("!htrace -diff").press("Enter");
            String windbgDiff = t.waitFor("Displayed 0x", SLOW);
            assertTrue(windbgDiff.contains("Outstanding handles opened since the previous snapshot:"), windbgDiff);
            assertTrue(windbgDiff.matches("(?s).*Handle = 0x[0-9a-f]{16} - OPEN\nThread ID = 0x[0-9a-f]{16}, Process ID = 0x0*"
                    + Integer.toHexString(target.pid()) + "\n\n0x[0-9a-f]{16}: .*"), windbgDiff);

            // Ctrl-C at the prompt does not leave; Ctrl-D does, detaching
            int prompts = Tmux.count(t.rawOutput(), "jhtrace>");
            t.press("C-c");
            t.waitFor("a fresh prompt after Ctrl-C", s -> {
                try {
                    return Tmux.count(t.rawOutput(), "jhtrace>") > prompts;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, 10_000);
            t.press("C-d");
            String end = t.waitFor("EXITED rc=", SLOW);
            assertTrue(end.contains("detaching from 1 target"), end);
            assertTrue(end.contains("EXITED rc=0"), end);
            assertNull(target.waitUntilRunningFree(10_000), "the target runs on, detached");

            String history = Files.readString(home.resolve(".jhtrace_history"));
            assertTrue(history.contains("!htrace -enable") && history.contains("watch --every 1s"), history);
        }
    }

    @Test
    void windbgHabitsTabToAnArgv0NameGoUntilCtrlCAndLm(@TempDir Path home) throws Exception {
        // argv[0] is not the executable's name: attach NAME accepts it, so Tab must offer it
        String argv0 = "jtargv" + ProcessHandle.current().pid();
        Process sleeper = new ProcessBuilder("bash", "-c", "exec -a " + argv0 + " sleep 300").start();
        try (Tmux t = Tmux.jhtrace(home, "shell", "--engine", "gdb")) {
            t.waitFor("jhtrace> ", SLOW);
            t.type("attach " + argv0.substring(0, 8)).press("Tab");
            t.waitFor("jhtrace> attach " + argv0 + " ", 10_000);
            t.press("Enter");
            t.waitFor("attached to sleep (pid " + sleeper.pid() + ", gdb)", SLOW);

            t.type("g").press("Enter");
            t.waitFor(String.format("running 0n%d (0x%x): Ctrl-C breaks in", sleeper.pid(), sleeper.pid()), SLOW);
            t.press("C-c"); // at once: Ctrl-C is watched before g says it runs
            t.waitFor("break: the process keeps running", 10_000);
            t.waitFor("prompt back", s -> s.stripTrailing().endsWith("jhtrace>"), 10_000);

            t.type("lm").press("Enter");
            t.waitFor("libc.so.6", SLOW);
            t.type("frobnicate").press("Enter");
            t.waitFor("error: unknown command 'frobnicate' \u2014 `help` lists them", 10_000);
            t.press("C-d");
            String end = t.waitFor("EXITED rc=", SLOW);
            assertTrue(end.contains("EXITED rc=0"), end);
            assertTrue(sleeper.isAlive(), "g and Ctrl-C left it running");
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void groovyModeSharesTheShellsTarget(@TempDir Path home) throws Exception {
        try (LeakyTarget target = LeakyTarget.start("g", 300); Tmux t = Tmux.jhtrace(home, "shell")) {
            t.waitFor("jhtrace> ", SLOW);
            t.type("help diff").press("Enter");
            t.waitFor("Usage: diff [--json] [--group-by=KEY] [-o=FILE] [--top=N] [SNAPSHOT]\n", SLOW);
            t.type("attach " + target.pid()).press("Enter");
            t.waitFor("attached to " + target.name(), SLOW);
            t.waitFor("prompt", s -> s.stripTrailing().endsWith("jhtrace>"), 10_000);
            t.type("groovy> target.pid").press("Enter");
            t.waitFor("==> " + target.pid(), SLOW);
            t.type(":groovy").press("Enter");
            t.waitFor("groovy> ", 10_000);
            t.type("n = target.handles().size(); n > 3").press("Enter");
            t.waitFor("==> true", SLOW);
            t.type("target.htrace.enable(); sleep 1500; target.htrace.diff().byFunction().top(1).each { println it }").press("Enter");
            t.waitFor("leaked by " + target.name() + "!", SLOW);
            // anything over a second shows a status line, erased when done
            t.type("sleep 2600").press("Enter");
            t.waitFor("status line", s -> {
                try {
                    return t.rawOutput().contains("[waiting 2.6s, Ctrl-C ends it] 1s");
                } catch (java.io.IOException e) {
                    return false;
                }
            }, 10_000);
            t.type("nosuch.call()").press("Enter");
            String err = t.waitFor("error: ", SLOW);
            assertFalse(err.contains("\tat "), "a one-line error, no stack dump: " + err);
            t.type(":commands").press("Enter");
            t.type("q").press("Enter");
            t.waitFor("EXITED rc=0", SLOW);
            assertNull(target.waitUntilRunningFree(10_000));
        }
    }

    @Test
    void scriptCtrlCStillReportsAndDetaches(@TempDir Path home) throws Exception {
        try (LeakyTarget target = LeakyTarget.start("s", 300);
             Tmux t = Tmux.jhtrace(home, "script", "scripts/find-leaks.groovy", String.valueOf(target.pid()), "120")) {
            t.waitFor("tracing " + target.name(), SLOW);
            target.awaitDescriptors(target.descriptors() + 10, SLOW); // leaks made while traced
            t.press("C-c");
            String out = t.waitFor("EXITED rc=", SLOW);
            assertTrue(out.contains("interrupted: reporting what was captured"), out);
            assertTrue(out.contains("EXITED rc=3"), "leaks were found: " + out);
            assertTrue(out.contains("handle_request"), out);
            assertNull(target.waitUntilRunningFree(10_000));
            assertEquals(true, target.isAlive());
        }
    }
}
