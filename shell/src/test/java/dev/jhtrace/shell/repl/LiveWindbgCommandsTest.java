package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.support.LeakyTarget;
import dev.jhtrace.spi.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WinDbg's commands against a live Linux process through gdb, read from stdin as CI would feed them. */
class LiveWindbgCommandsTest {
    @BeforeAll
    static void needsGdb() {
        org.junit.jupiter.api.Assertions.assertTrue(Engines.named("gdb").availability().available(), "gdb engine unavailable: " + Engines.named("gdb").availability().detail()); // gdb is required (.ci/run installs it): fail, never skip
    }

    @Test
    void theHtraceWorkflowOnALiveProcess(@TempDir Path dir) throws Exception {
        try (LeakyTarget target = LeakyTarget.start("w", 300)) {
            Path saved = dir.resolve("session.json");
            ReplLinesTest.Run r = ReplLinesTest.runWith("gdb",
                    ".attach 0n" + target.pid(),
                    "!htrace -enable",
                    "!htrace -snapshot",
                    "watch --every 700ms --count 2",
                    "!htrace -diff",
                    "!handle 0 0",
                    "!handle 0 ff EventFd",
                    "!htrace 0 5",
                    "save " + saved,
                    "!htrace -disable",
                    ".detach");
            assertEquals(0, r.exitCode(), r.err());
            String out = r.out();
            String name = target.name();
            assertTrue(out.startsWith(String.format("Attached to process 0n%d (0x%x) %s%n", target.pid(), target.pid(), name)), out);
            assertTrue(out.contains("Handle tracing enabled.\nHandle tracing information snapshot successfully taken.\n"
                    + "Handle tracing information snapshot successfully taken.\n"), out);
            // the diff: WinDbg's header, x64 widths, this process's id, frames naming the leaking functions
            Matcher newTraces = Pattern.compile("Handle tracing information snapshot successfully taken.\n0x([0-9a-f]+) new stack traces since the previous snapshot.\n"
                    + "Ignoring handles that were already closed...\nOutstanding handles opened since the previous snapshot:\n").matcher(out);
            assertTrue(newTraces.find(), out);
            assertTrue(Long.parseLong(newTraces.group(1), 16) > 0);
            assertTrue(out.contains(String.format("Process ID = 0x%016x%n%n0x", target.pid())), out);
            assertTrue(Pattern.compile("0x[0-9a-f]{16}: " + name + "!handle_request\\+0x[0-9a-f]{16}\n").matcher(out).find(), out);
            assertTrue(Pattern.compile("0x[0-9a-f]{16}: " + name + "!reload_config\\+0x[0-9a-f]{16}\n").matcher(out).find(), out);
            Matcher displayed = Pattern.compile("Displayed 0x([0-9a-f]+) stack traces for outstanding handles opened since the previous snapshot.").matcher(out);
            assertTrue(displayed.find(), out);
            int shown = Integer.parseInt(displayed.group(1), 16);
            String entries = out.substring(out.indexOf("Outstanding handles opened"), out.indexOf("Displayed 0x"));
            assertEquals(shown, count(entries, " - OPEN\n"), "one entry per displayed trace");
            assertTrue(out.matches("(?s).*\n\\d+ Handles\nType           \tCount\nSocket         \t\\d+\n.*"), out);
            assertTrue(out.matches("(?s).*\\d+ handles of type EventFd\n.*"), out);
            assertTrue(out.contains("  Name         \tanon_inode:[eventfd]\n"), out);
            assertTrue(out.contains("Parsed 0x5 stack traces.\nDumped 0x5 stack traces.\n"), "!htrace 0 5: the five newest events: " + out);
            assertTrue(out.contains("Handle tracing disabled.\n"), out);
            assertTrue(out.contains("Detached from " + name), out);
            assertNull(target.waitUntilRunningFree(10_000), "detached and running");

            // the saved session diffs offline like the live one
            ReplLinesTest.Run offline = ReplLinesTest.run("load " + saved, "diff enable --group-by function");
            assertEquals(0, offline.exitCode(), offline.err());
            assertTrue(offline.out().contains("leaked by " + name + "!handle_request"), offline.out());
        }
    }

    private static int count(String s, String text) {
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) n++;
        return n;
    }
}
