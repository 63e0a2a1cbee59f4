package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.support.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell without a terminal (commands from stdin), on real dumps and WinDbg logs: no debugger needed. */
class ReplLinesTest {
    private static final Path DUMP = Examples.shared().resolve("fixtures/dumps/wer-triage-purplewinstore-x64.dmp");
    private static final Path W3WP = Examples.root().resolve("examples/windbg/w3wp-key-leak.log");

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... lines) throws IOException {
        StringWriter out = new StringWriter(), err = new StringWriter();
        byte[] in = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        int code = Repl.runLines(new ByteArrayInputStream(in), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** Like {@link #run(String...)} with live processes reached through the engine {@code engine} ({@code --engine}). */
    static Run runWith(String engine, String... lines) throws IOException {
        StringWriter out = new StringWriter(), err = new StringWriter();
        byte[] in = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        int code = Repl.runLines(new ByteArrayInputStream(in), new PrintWriter(out, true), new PrintWriter(err, true),
                () -> dev.jhtrace.spi.Engines.named(engine));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void windbgHandleCommandsOnAMinidump() throws IOException {
        Run r = run(".opendump " + DUMP, "!handle 0 0", "!handle 48 f", "!handle 0 ff Mutant", "!handle 0x5b4");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.contains("441 Handles\nType           \tCount\n"), out);
        assertTrue(out.contains("\nMutant         \t8\n"), out);
        assertTrue(out.contains("Handle 48\n  Type         \tMutant\n  Attributes   \t0\n  GrantedAccess\t0x1f0001\n  HandleCount  \t2\n  PointerCount \t65537\n  Name         \t<none>\n"), out);
        assertTrue(out.contains("8 handles of type Mutant\n"), out);
        assertEquals(10, out.split("  Type         \tMutant\n", -1).length - 1, "eight full entries for Mutant, plus 48 and 5b4: " + out);
        assertTrue(out.endsWith("Handle 5b4\n  Type         \tMutant\n"), "flags default to 1 (type only): " + out);
    }

    @Test
    void importedWindbgLogDiffsGroupsAndShows() throws IOException {
        Run r = run("open " + W3WP, "!handle 0 0", "diff", "show 1", "!htrace -diff", "!htrace bdc", "symbols path /opt/syms");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("66316 Handles\nType           \tCount\nKey            \t65602\n"), r.out());
        assertTrue(r.out().contains("2 outstanding handles since 'previous snapshot'"), r.out());
        assertTrue(r.out().contains("#1   2 x (unknown)  leaked by advapi32_5_2_3790_4455!LocalBaseRegOpenKey+0xd0"), r.out());
        assertTrue(r.out().contains("  > 0x8b6cb1 advapi32_5_2_3790_4455!LocalBaseRegOpenKey+0xd0\n"), r.out());
        assertTrue(r.out().contains("Handle = 0x00000bdc - OPEN\nThread ID = 0x000014a4, Process ID = 0x0000151c\n\n0x7c827369: ntdll!ZwOpenKey+0x0000000c\n"), r.out());
        assertTrue(r.out().contains("Displayed 0x2 stack traces for outstanding handles opened since the previous snapshot."), r.out());
        String one = r.out().substring(r.out().indexOf("Displayed 0x2"));
        assertTrue(one.contains("--------------------------------------\nHandle = 0x00000bdc - OPEN\n"), one);
        assertTrue(!one.contains("Handle = 0x00000b50"), "only the handle asked for: " + one);
        assertTrue(one.contains("Parsed 0x1 stack traces.\nDumped 0x1 stack traces.\n"), one);
        assertTrue(r.out().contains("symbol path: /opt/syms\nnote: used by targets attached from now on"), r.out());
    }

    @Test
    void savedSessionLoadsBackWithItsSnapshotsAndTrace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w3wp.json");
        Run saved = run("open " + W3WP, "diff --group-by function", "save " + file);
        assertEquals(0, saved.exitCode(), saved.err());
        Run loaded = run("load " + file, "diff 'previous snapshot' --group-by function", "!handle 0 0");
        assertEquals(0, loaded.exitCode(), loaded.err());
        String before = saved.out().substring(saved.out().indexOf("2 outstanding"), saved.out().indexOf("(show N"));
        assertTrue(loaded.out().contains(before), "the same groups after a round trip:\n" + before + "\n---\n" + loaded.out());
        assertTrue(loaded.out().contains("3 Handles\nType           \tCount\nKey            \t3\n"), "the saved table: " + loaded.out());
    }

    @Test
    void groovySharesTheTargetAndKeepsVariables() throws IOException {
        Run r = run("open " + DUMP, "groovy> target.handles().size()", ":groovy", "n = target.handles().ofType('Mutant').size()",
                "n * 2", ":commands", "!handle 0 0");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("==> 441\n"), r.out());
        assertTrue(r.out().contains("==> 16\n"), r.out());
        assertTrue(r.out().contains("441 Handles"), "back in command mode: " + r.out());
    }

    @Test
    void errorsAreOneLineAndTheShellGoesOn() throws IOException {
        Run r = run("groovy> nosuch.call()", "open /nonexistent.dmp", "bogus", ".attach zz", "show 1", "!handle 0 0", "help diff");
        assertEquals(2, r.exitCode(), "the last failure's code: " + r.err());
        String err = r.err();
        assertTrue(err.contains("error: unknown command 'bogus' \u2014 `help` lists them"), err);
        assertTrue(err.contains("error: 'zz' is not a number (WinDbg numbers are hex by default; 0n123 is decimal)"), err);
        assertTrue(err.contains("error: no leak groups yet: run diff first"), err);
        assertTrue(err.contains("error: no target: attach PID|NAME (or .attach PID) or open DUMP first"), err);
        assertTrue(err.contains("error: no such file: /nonexistent.dmp"), err);
        assertTrue(err.contains("error: No such property: nosuch"), err);
        assertFalse(err.contains("\tat "), "no stack traces: " + err);
        assertTrue(r.out().matches("(?s).*Usage: +diff \\[--json] \\[--group-by=KEY] \\[-o=FILE] \\[--top=N] \\[SNAPSHOT].*"), r.out());
    }

    @Test
    void quitStopsReadingAndHelpListsTheCommands() throws IOException {
        Run r = run("help", "q", "open " + DUMP);
        assertEquals(0, r.exitCode(), r.err());
        for (String c : new String[] {".attach", ".detach", ".opendump", "!htrace", "!handle", "attach", "open", "handles", "snapshot",
                "diff", "show", "watch", "symbols", "save", "load", "help"}) {
            assertTrue(r.out().contains("\n  " + c + " "), c + " is listed: " + r.out());
        }
        assertFalse(r.out().contains("minidump)"), "nothing runs after q: " + r.out());
    }
}
