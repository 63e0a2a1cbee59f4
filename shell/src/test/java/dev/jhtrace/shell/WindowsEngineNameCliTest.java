package dev.jhtrace.shell;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Windows engine is {@code windows} on the command line, and {@code dbgeng}, its former name, still reaches
 * it. Off Windows both reach the engine itself, which refuses with its own line, not "no engine named".
 */
class WindowsEngineNameCliTest {
    private static final String OFF_WINDOWS = "jhtrace: the Windows engine runs on Windows only";

    @Test
    void engineWindowsReachesTheWindowsEngine() {
        CliRunner r = CliRunner.run("handles", "--engine", "windows", "--pid", Long.toString(ProcessHandle.current().pid()));
        assertEquals(6, r.exitCode(), r.err());
        assertEquals(OFF_WINDOWS, r.err().strip());
    }

    @Test
    void engineDbgengStillReachesIt() {
        CliRunner r = CliRunner.run("handles", "--engine", "dbgeng", "--pid", Long.toString(ProcessHandle.current().pid()));
        assertEquals(6, r.exitCode(), r.err());
        assertEquals(OFF_WINDOWS, r.err().strip());
    }

    @Test
    void doctorAndHelpCallItWindows() {
        CliRunner doctor = CliRunner.run("doctor");
        assertTrue(doctor.out().lines().anyMatch(l -> l.matches("windows +unavailable +the Windows engine runs on Windows only")), doctor.out());
        assertTrue(doctor.out().lines().noneMatch(l -> l.startsWith("dbgeng ")), doctor.out());
        CliRunner help = CliRunner.run("leaks", "--help");
        assertEquals(0, help.exitCode(), help.err());
        assertTrue(help.out().replaceAll("\\s+", " ").contains("windows on Windows (also accepted as dbgeng, its former name)"), help.out());
    }
}
