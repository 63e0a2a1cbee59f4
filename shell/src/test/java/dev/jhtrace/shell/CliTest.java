package dev.jhtrace.shell;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    @Test
    void versionNamesTheBuild() {
        CliRunner r = CliRunner.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("jhtrace 0."), r.out());
    }

    @Test
    void unknownOptionIsBadUsageWithOneLineAndAHint() {
        CliRunner r = CliRunner.run("leaks", "--bogus");
        assertEquals(2, r.exitCode());
        assertEquals("jhtrace: Unknown option: '--bogus'", r.err().lines().findFirst().orElseThrow());
        assertTrue(r.err().contains("jhtrace leaks --help"));
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void badDurationIsBadUsage() {
        CliRunner r = CliRunner.run("leaks", "--pid", "1", "--for", "soon");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("'soon' is not a duration"), r.err());
    }

    @Test
    void conflictingTargetsAreBadUsage() {
        CliRunner r = CliRunner.run("leaks", "--pid", "1", "--", "/bin/true");
        assertEquals(2, r.exitCode());
        assertEquals("jhtrace: give a target (--pid/--name) or a command to launch, not both", r.err().strip());
    }

    @Test
    void unknownGroupingIsBadUsage() {
        CliRunner r = CliRunner.run("leaks", "--group-by", "colour", "--", "/bin/true");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown grouping 'colour'"), r.err());
    }

    @Test
    void everySubcommandHasHelpAndTheHelpListsExitCodes() {
        CliRunner top = CliRunner.run("--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("4  target not found"));
        for (String sub : new String[] {"handles", "leaks", "doctor", "demo"}) {
            CliRunner r = CliRunner.run(sub, "--help");
            assertEquals(0, r.exitCode(), sub);
            assertTrue(r.out().startsWith("Usage: jhtrace " + sub), sub + ": " + r.out());
        }
    }

    @Test
    void completionScriptIsGenerated() {
        CliRunner r = CliRunner.run("generate-completion");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("complete -F"), "a bash completion function is registered");
        assertTrue(r.out().contains("leaks"));
    }
}
