package dev.jhtrace.shell;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run that names one command builds only that command's model ({@link Main#commandLine(PrintWriter, PrintWriter, String...)});
 * what it prints and returns must be what the whole command tree gives.
 */
class LeanCommandLineTest {
    private static final String LOG = Path.of(System.getProperty("jhtrace.shared", "../shared"), "fixtures", "windbg",
            "003-aio-cppresourceleaks-htrace-diff.txt").toString();

    private record Run(int code, String out, String err) {
    }

    private static Run run(boolean lean, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true), e = new PrintWriter(err, true);
        int code = (lean ? Main.commandLine(o, e, args) : Main.commandLine(o, e)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyKindOfRunPrintsAndReturnsWhatTheWholeTreeDoes() {
        String self = String.valueOf(ProcessHandle.current().pid());
        List<String[]> runs = List.of(new String[] {"import", LOG}, new String[] {"import", LOG, "--json", "--top", "1"},
                new String[] {"handles", "--pid", "999999999"}, new String[] {"handles", "--pid", "0"},
                new String[] {"handles", "--pid"}, new String[] {"handles", "--help"}, new String[] {"hnadles"},
                new String[] {"--help"}, new String[] {"-V"}, new String[] {"--version", "--debug"}, new String[] {"dump", "--bogus"},
                new String[] {"script", "--help"}, new String[] {"generate-completion"}, new String[] {"handles", "--pid", self, "--type", "Nothing"});
        for (String[] args : runs) {
            Run whole = run(false, args);
            Run lean = run(true, args);
            String what = String.join(" ", args);
            assertEquals(whole.code, lean.code, what);
            assertEquals(whole.out, lean.out, what);
            assertEquals(whole.err, lean.err, what);
        }
        assertTrue(run(true, "handles", "--pid", "999999999").err().startsWith("jhtrace: no process with pid 999999999"));
        // --debug before the command still reaches it: the error and then its stack trace (whose frames differ by path)
        Run debug = run(true, "--debug", "handles", "--pid", "0");
        assertEquals(2, debug.code);
        assertTrue(debug.err.startsWith("jhtrace: --pid must be a positive process id, not 0\n"), debug.err);
        assertTrue(debug.err.contains("\tat "), debug.err);
    }

    @Test
    void versionAloneSkipsTheCommandModelAndSaysTheSame() {
        StringWriter out = new StringWriter();
        Main.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)).execute("--version");
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        int code;
        try {
            code = Main.run("--version");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        assertEquals(out.toString(), captured.toString().replace(System.lineSeparator(), "\n"));
        assertTrue(out.toString().startsWith("jhtrace "), out.toString());
    }
}
