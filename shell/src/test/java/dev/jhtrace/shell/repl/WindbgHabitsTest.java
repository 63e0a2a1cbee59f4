package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.support.Examples;
import dev.jhtrace.shell.support.LeakyTarget;
import dev.jhtrace.spi.Engines;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** WinDbg habits in the shell: g, k, ~, lm, unknown commands, hex pids; read from stdin as CI feeds them. */
class WindbgHabitsTest {
    private static final Path TINY = Examples.shared().resolve("fixtures/dumps/breakpad-tiny-exe-cet-crashpad-x64.dmp");

    @Test
    void anUnknownCommandIsNamedWithWhereToLook() throws Exception {
        ReplLinesTest.Run r = ReplLinesTest.run("frobnicate 3");
        assertEquals(2, r.exitCode());
        assertEquals("error: unknown command 'frobnicate' \u2014 `help` lists them\n", r.err());
    }

    @Test
    void lmListsADumpsModulesAndTheRestSayWhatTheEngineLacks() throws Exception {
        ReplLinesTest.Run lm = ReplLinesTest.run(".opendump " + TINY, "lm");
        assertEquals(0, lm.exitCode(), lm.err());
        // the dump's first module, as RealDumpsTest reads it: tiny.exe at 0x7ff778bd0000, 0xf0000 bytes
        assertTrue(lm.out().contains("00007ff778bd0000   00007ff778cc0000   tiny                     C:\\src\\crashpad\\tiny.exe\n"), lm.out());
        assertEquals(2 + 25, lm.out().lines().count(), "the open line, the heading and the dump's 25 modules: " + lm.out());

        ReplLinesTest.Run threads = ReplLinesTest.run(".opendump " + TINY, "~");
        assertEquals(6, threads.exitCode());
        assertEquals("error: the minidump engine does not support listing threads (~) yet\n", threads.err());
        ReplLinesTest.Run go = ReplLinesTest.run(".opendump " + TINY, "g");
        assertEquals(2, go.exitCode());
        assertTrue(go.err().contains("is a record, not a running process"), go.err());
    }

    @Test
    void threadStackPrefixBecomesK() {
        assertEquals(List.of("k", "3"), ReplCommandLine.windbgThreadPrefix(List.of("~3k")));
        assertEquals(List.of("k", "12"), ReplCommandLine.windbgThreadPrefix(List.of("~12", "k")));
        assertEquals(List.of("~"), ReplCommandLine.windbgThreadPrefix(List.of("~")));
        assertEquals(List.of("k", "1"), ReplCommandLine.windbgThreadPrefix(List.of("k", "1")));
    }

    @Test
    void threadsModulesStacksAndGoOnALiveProcess() throws Exception {
        org.junit.jupiter.api.Assertions.assertTrue(Engines.named("gdb").availability().available(), "gdb engine unavailable"); // gdb is required (.ci/run installs it): fail, never skip
        try (LeakyTarget target = LeakyTarget.start("h", 300)) {
            int pid = target.pid();
            // gdb: perf lists no threads or modules yet
            ReplLinesTest.Run r = ReplLinesTest.runWith("gdb", ".attach 0n" + pid, "~", "lm", "!htrace -enable", "g --for 1500ms",
                    "~1k", "~2k", "~3k", "~4k", ".detach");
            assertEquals(0, r.exitCode(), r.err());
            String out = r.out();
            // ~: the main thread first as 0, then the four workers, each with its Id as pid.tid in hex
            assertTrue(out.contains(String.format("   0  Id: %x.%x  %s", pid, pid, target.name())), out);
            assertEquals(5, Pattern.compile(String.format("(?m)^ +\\d  Id: %x\\.[0-9a-f]+  ", pid)).matcher(out).results().count(), out);
            // lm: the executable and libc from the maps, with their files
            Path exe = Path.of("/proc/" + pid + "/exe").toRealPath();
            assertTrue(Pattern.compile("(?m)^[0-9a-f]{16}   [0-9a-f]{16}   " + target.name() + " +" + Pattern.quote(exe.toString()) + "$").matcher(out).find(), out);
            assertTrue(out.contains("libc.so.6"), out);
            assertTrue(out.contains(String.format("running 0n%d (0x%x) for 1.5s%nbreak: the process keeps running%n", pid, pid)), out);
            // k: gdb cannot stop a running thread for its stack yet; the traced stacks of the workers name the leaks
            assertTrue(out.contains("note: the gdb engine does not support reading a thread's stack (k) yet; the stack of this thread's latest traced event"), out);
            assertTrue(out.contains(target.name() + "!handle_request"), out);
            assertTrue(out.contains(target.name() + "!reload_config"), out);
            assertNull(target.waitUntilRunningFree(10_000), "detached and running");
        }
    }

    @Test
    void aDecimalPidTypedForDotAttachGetsTheWinDbgHint() throws Exception {
        try (LeakyTarget target = LeakyTarget.start("x", 60)) {
            String decimal = String.valueOf(target.pid());
            assumeTrue(ProcessHandle.of(Long.parseLong(decimal, 16)).isEmpty(), "a process with the hex pid exists");
            ReplLinesTest.Run r = ReplLinesTest.run(".attach " + decimal);
            assertEquals(4, r.exitCode(), r.err());
            assertEquals("error: 0x" + decimal + " is hex as in WinDbg; use 0n" + decimal + " for decimal\n", r.err());
            assertFalse(r.out().contains("Attached"), r.out());
        }
    }
}
