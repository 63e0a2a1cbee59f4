package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.support.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jhtrace} with no arguments and no terminal (CI) reads commands from stdin and ends at EOF: it must never hang. */
class NoTerminalTest {
    private static Process jhtrace(Path home, ProcessBuilder.Redirect stdin) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-cp", cp, "dev.jhtrace.shell.Main"))
                .redirectInput(stdin).redirectErrorStream(true).start();
    }

    @Test
    void commandsFromStdinUntilEof(@TempDir Path home) throws Exception {
        Path commands = home.resolve("commands.txt");
        Files.writeString(commands, "open " + Examples.shared().resolve("fixtures/dumps/chrome129-many-handles-x64.dmp") + "\n!handle 0 0\n");
        Process p = jhtrace(home, ProcessBuilder.Redirect.from(commands.toFile()));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended at end of input");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("1749 Handles\nType           \tCount\n"), out);
        assertTrue(!out.contains("jhtrace>"), "no prompt without a terminal: " + out);
    }

    @Test
    void emptyInputEndsAtOnce(@TempDir Path home) throws Exception {
        Process p = jhtrace(home, ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no hang on empty stdin");
        assertEquals(0, p.exitValue());
    }
}
