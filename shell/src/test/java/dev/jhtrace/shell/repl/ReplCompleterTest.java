package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.api.Jhtrace;
import dev.jhtrace.shell.support.Examples;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Completion candidates, computed on real targets (a dump, a WinDbg log). */
class ReplCompleterTest {
    private final Jhtrace api = new Jhtrace();
    private final ReplCommandLine commands = new ReplCommandLine(new ReplContext(api, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false));
    private final ReplCompleter completer = new ReplCompleter(commands.commandLine(), commands.context(), () -> false);

    private List<String> complete(String line) {
        List<Candidate> found = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length()), found);
        return found.stream().map(Candidate::value).toList();
    }

    @Test
    void commandsThenOptionsThenValuesByKind() {
        assertTrue(complete("").containsAll(List.of("attach", ".attach", "!htrace", "!handle", "diff", "watch", ":groovy")), complete("").toString());
        assertTrue(complete("diff --").containsAll(List.of("--top", "--group-by")), complete("diff --").toString());
        assertTrue(complete("!htrace -").containsAll(List.of("-enable", "-snapshot", "-diff", "-disable")));
        assertEquals(List.of("stack", "type", "module", "function"), complete("diff --group-by "));
        assertTrue(complete("help ").containsAll(List.of("diff", "!htrace")));
    }

    @Test
    void filePathsForFileArguments() throws java.io.IOException {
        String dir = Examples.shared().resolve("fixtures/dumps") + "/";
        try (org.jline.terminal.Terminal dumb = org.jline.terminal.TerminalBuilder.builder().dumb(true).streams(
                new java.io.ByteArrayInputStream(new byte[0]), new java.io.ByteArrayOutputStream()).build()) {
            org.jline.reader.LineReader reader = org.jline.reader.LineReaderBuilder.builder().terminal(dumb).build();
            for (String command : new String[] {"open ", ".opendump ", "load "}) {
                String line = command + dir + "wer";
                List<Candidate> found = new ArrayList<>();
                completer.complete(reader, new DefaultParser().parse(line, line.length()), found);
                // the completer offers the directory's entries; the line reader keeps those matching what was typed
                List<String> matching = found.stream().map(Candidate::value).filter(v -> v.startsWith(dir + "wer")).toList();
                assertEquals(List.of(dir + "wer-triage-purplewinstore-x64.dmp"), matching, command);
            }
        }
    }

    @Test
    void handleTypesComeFromTheCurrentTarget() {
        api.open(Examples.shared().resolve("fixtures/dumps/wer-triage-purplewinstore-x64.dmp").toString());
        List<String> types = complete("handles --type ");
        assertTrue(types.containsAll(List.of("Mutant", "Event", "WaitCompletionPacket", "ALPC Port")), types.toString());
        assertTrue(complete("!handle 0 ff ").contains("Mutant"));
    }

    @Test
    void snapshotNamesAndProcesses() {
        api.open(Examples.root().resolve("examples/windbg/w3wp-key-leak.log").toString());
        assertEquals(List.of("previous snapshot"), complete("diff "));
        long self = ProcessHandle.current().pid();
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        List<String> pids = complete("attach ");
        assertTrue(pids.contains(String.valueOf(parent.pid())), "other processes are offered: " + pids.size());
        assertTrue(!pids.contains(String.valueOf(self)), "not jhtrace itself");
        assertTrue(complete(".attach ").contains("0n" + parent.pid()), "WinDbg's .attach gets decimal pids marked 0n");
    }

    @Test
    void processNamesAreTheOnesAttachAccepts() throws Exception {
        // argv[0] differs from the executable's name: attach NAME finds it by either (comm, argv[0]'s base name)
        String argv0 = "jtcomp" + ProcessHandle.current().pid();
        Process p = new ProcessBuilder("bash", "-c", "exec -a " + argv0 + " sleep 60").start();
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (api.processes(argv0).isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(List.of((int) p.pid()), api.processes(argv0).stream().map(i -> i.pid()).toList(), "attach " + argv0 + " finds it");
            List<String> offered = complete("attach ");
            assertTrue(offered.contains(argv0), "the argv[0] name is offered: " + offered.size());
            assertTrue(offered.contains("sleep"), "and the comm");
            for (String name : List.of(argv0, "sleep")) assertTrue(!api.processes(name).isEmpty(), name + " is accepted by attach");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
