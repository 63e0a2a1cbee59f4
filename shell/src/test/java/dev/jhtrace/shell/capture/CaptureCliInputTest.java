package dev.jhtrace.shell.capture;

import dev.jhtrace.shell.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to capture and report: one line, the right exit code, nothing captured. */
class CaptureCliInputTest {

    private static void badUsage(String expected, String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void badOptionsAreBadUsage(@TempDir Path tmp) {
        String out = tmp.resolve("c").toString();
        badUsage("'fast' is not a rate", "capture", "--pid", "1", "--when-growth-exceeds", "fast", "--out", out);
        badUsage("'lots' is not a size", "capture", "--pid", "1", "--max-disk", "lots", "--out", out);
        badUsage("--max-disk must be at least 16KB", "capture", "--pid", "1", "--max-disk", "1KB", "--out", out);
        badUsage("the interval must be at least 100ms", "capture", "--pid", "1", "--every", "10ms", "--out", out);
        badUsage("give --pid or --name, not both", "capture", "--pid", "1", "--name", "x", "--out", out);
        badUsage("no target", "capture", "--out", out);
        assertFalse(Files.exists(tmp.resolve("c")), "nothing was created");
    }

    @Test
    void aMissingProcessIsTargetNotFound(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("capture", "--pid", "999999999", "--out", tmp.resolve("c").toString());
        assertEquals(4, r.exitCode(), r.err());
        assertEquals("jhtrace: no process with pid 999999999", r.err().strip());
    }

    @Test
    void aNameThatNeverAppearsEndsWithTargetNotFoundAfterTheWait(@TempDir Path tmp) {
        Targets.requireGdb();
        CliRunner r = CliRunner.run("capture", "--name", "jhcap-none", "--every", "1s", "--for", "2s", "--out", tmp.resolve("c").toString());
        assertEquals(4, r.exitCode(), r.err());
        assertTrue(r.err().contains("waiting for a process named 'jhcap-none'"), r.err());
        assertTrue(r.err().contains("jhtrace: no process named 'jhcap-none' appeared (the capture time is over)"), r.err());
    }

    @Test
    void reportOfNothingIsBadInput(@TempDir Path tmp) throws Exception {
        badUsage("no capture at", "report", tmp.resolve("missing").toString());
        badUsage("no capture files", "report", tmp.toString());
        Files.writeString(tmp.resolve("capture-bad.jsonl"), "{\"kind\":\"record\",\"seq\":1}\n");
        badUsage("no readable capture", "report", tmp.toString());
    }

    @Test
    void captureAndReportHaveHelp() {
        for (String sub : new String[] {"capture", "report"}) {
            CliRunner r = CliRunner.run(sub, "--help");
            assertEquals(0, r.exitCode());
            assertTrue(r.out().startsWith("Usage: jhtrace " + sub), r.out());
        }
    }
}
