package dev.jhtrace.shell;

import dev.jhtrace.shell.cli.QuickHandles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain forms of {@code jhtrace handles} run without picocli ({@link QuickHandles}): they must print and return
 * what the picocli command line does, and every other form must be left to picocli.
 */
class QuickHandlesTest {
    private Process target;
    private String pid;

    private record Run(int code, String out, String err) {
    }

    @BeforeEach
    void startTarget() throws Exception {
        // a real process whose table stays as it is: sleep, stdin from /dev/null, stdout and stderr pipes
        target = new ProcessBuilder("sleep", "300").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        pid = Long.toString(target.pid());
    }

    @AfterEach
    void stopTarget() {
        target.destroy();
    }

    private static Run picocli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), args).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run quick(String... args) {
        QuickHandles q = QuickHandles.parse(args);
        assertNotNull(q, () -> "not taken: " + String.join(" ", args));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = q.run(new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void thePlainFormsPrintAndReturnWhatPicocliDoes() {
        List<String[]> runs = List.of(new String[] {"handles", "--pid", pid}, new String[] {"handles", "-p", pid, "--json"},
                new String[] {"handles", "--json", "--pid", pid, "-t", "pipe"}, new String[] {"handles", "--type", "Device", "--pid", pid},
                new String[] {"handles", "--pid", pid, "--type", "Nothing"}, new String[] {"handles", "--pid", "999999999"},
                new String[] {"handles", "--pid", "999999999", "--json"});
        for (String[] args : runs) {
            Run expected = picocli(args);
            Run got = quick(args);
            String what = String.join(" ", args);
            assertEquals(expected.code, got.code, what);
            assertEquals(expected.out, got.out, what);
            assertEquals(expected.err, got.err, what);
        }
        Run listing = quick("handles", "--pid", pid);
        assertEquals(0, listing.code, listing.err);
        assertTrue(listing.out.startsWith("pid " + pid + ": 3 Handles\n"), listing.out);
        assertTrue(listing.out.contains("/dev/null"), listing.out);
        Run missing = quick("handles", "--pid", "999999999");
        assertEquals(4, missing.code);
        assertEquals("jhtrace: no process with pid 999999999\n", missing.err.replace(System.lineSeparator(), "\n"));
        Run badType = quick("handles", "--pid", pid, "--type", "Nothing");
        assertEquals(2, badType.code);
        assertTrue(badType.err.startsWith("jhtrace: unknown handle type 'Nothing'; the types are: "), badType.err);
    }

    @Test
    void everyOtherFormIsLeftToPicocli() {
        List<String[]> others = List.of(new String[] {"handles"}, new String[] {"handles", "--pid"}, new String[] {"handles", "--pid", "0"},
                new String[] {"handles", "--pid", "010"}, new String[] {"handles", "--pid", "0x10"}, new String[] {"handles", "--pid", "-5"},
                new String[] {"handles", "--pid", "1234567890"}, new String[] {"handles", "--pid=5"}, new String[] {"handles", "-p5"},
                new String[] {"handles", "--name", "sleep"}, new String[] {"handles", "--pid", "5", "--debug"},
                new String[] {"--debug", "handles", "--pid", "5"}, new String[] {"handles", "--pid", "5", "-o", "out.txt"},
                new String[] {"handles", "--pid", "5", "--engine", "gdb"}, new String[] {"handles", "--pid", "5", "--json", "--json"},
                new String[] {"handles", "--pid", "5", "--pid", "6"}, new String[] {"handles", "--pid", "5", "-t", "a", "-t", "b"},
                new String[] {"handles", "--pid", "5", "-t", "@types.txt"}, new String[] {"handles", "--pid", "5", "-t", "--json"},
                new String[] {"handles", "--pid", "5", "-t", ""}, new String[] {"handles", "--pid", "5", "-t"},
                new String[] {"handles", "--pid", "5", "extra"}, new String[] {"handles", "--pid", "5", "--help"},
                new String[] {"handles", "--pid", "5", "--"}, new String[] {"leaks", "--pid", "5"}, new String[] {"--version"});
        for (String[] args : others) assertNull(QuickHandles.parse(args), () -> "taken: " + String.join(" ", args));
    }

    /** The jar's main class, as the launchers run it, loads no picocli class for a plain listing; the control does. */
    @Test
    void thePlainListingLoadsNoPicocliClass(@TempDir Path dir) throws Exception {
        String quickLog = classesLoaded(dir, "quick", "handles", "--pid", pid);
        assertTrue(quickLog.contains("dev.jhtrace.proc.ProcFdReader"), "the listing ran");
        assertFalse(quickLog.contains("picocli."), "no picocli class");
        // the control: the same listing with --debug goes to picocli
        String picocliLog = classesLoaded(dir, "picocli", "handles", "--pid", pid, "--debug");
        assertTrue(picocliLog.contains("picocli.CommandLine "), "picocli ran the control");
    }

    private static String classesLoaded(Path dir, String name, String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = dir.resolve(name + ".classes");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + log, "-cp", cp, EntryPoint.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jhtrace " + String.join(" ", args) + " ended");
        assertEquals(0, p.exitValue(), () -> readOrEmpty(dir.resolve(name + ".err")));
        assertTrue(readOrEmpty(dir.resolve(name + ".out")).startsWith("pid "), name);
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
