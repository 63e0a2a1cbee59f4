package dev.jhtrace.shell;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.shell.repl.Repl;
import dev.jhtrace.shell.support.Examples;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -o/--output FILE} on every reporting command, and a launched command's output kept off the report:
 * the file holds what the command prints without it, in the format its name or {@code --json} says,
 * written owner-only and whole.
 */
class OutputTest {
    private static final String HTRACE_DIFF = Examples.shared().resolve("fixtures/windbg/003-aio-cppresourceleaks-htrace-diff.txt").toString();
    private static final String DUMP = Examples.shared().resolve("fixtures/dumps/wer-triage-purplewinstore-x64.dmp").toString();
    private static final String OWN_PID = String.valueOf(ProcessHandle.current().pid());

    private static String permissions(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static CliRunner ok(String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        return r;
    }

    @Test
    void importAndDumpWriteToTheFileExactlyWhatTheyPrint(@TempDir Path dir) throws IOException {
        String[][] commands = {{"import", HTRACE_DIFF}, {"dump", DUMP}};
        for (String[] command : commands) {
            String printedText = ok(command).out();
            String printedJson = ok(append(command, "--json")).out();

            Path text = dir.resolve(command[0] + ".txt");
            Path json = dir.resolve(command[0] + ".json");
            Path jsonAsked = dir.resolve(command[0] + "-asked.out");
            assertEquals("", ok(append(command, "-o", text.toString())).out(), "nothing on stdout");
            assertEquals("", ok(append(command, "--output", json.toString())).out());
            ok(append(command, "--json", "-o", jsonAsked.toString()));

            assertEquals(printedText, Files.readString(text), command[0] + ": a .txt file is the text report");
            assertEquals(printedJson, Files.readString(json), command[0] + ": a .json file is the JSON report");
            assertEquals(printedJson, Files.readString(jsonAsked), command[0] + ": --json decides whatever the name");
            for (Path p : List.of(text, json, jsonAsked)) assertEquals("rw-------", permissions(p), p + " holds object names");
        }
    }

    @Test
    void handlesOfALiveProcessGoToTheFile(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("handles.json");
        Path text = dir.resolve("handles.txt");
        assertEquals("", ok("handles", "--pid", OWN_PID, "-o", json.toString()).out());
        assertEquals("", ok("handles", "--pid", OWN_PID, "--type", "File", "-o", text.toString()).out());
        JsonNode listing = ReportJson.mapper().readTree(json.toFile());
        assertEquals(ProcessHandle.current().pid(), listing.get("pid").asLong());
        assertTrue(listing.get("total").asInt() > 0, listing.toString());
        assertTrue(Files.readString(text).startsWith("pid " + OWN_PID + ": "), Files.readString(text));
        assertEquals("rw-------", permissions(json));
        assertEquals("rw-------", permissions(text));
    }

    @Test
    void anExistingFileIsReplacedWholeAndMadeOwnerOnlyWithNothingLeftBeside(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("report.json");
        Files.writeString(report, "an older, longer report that must not survive in part ".repeat(500));
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-r--r--"));
        ok("import", HTRACE_DIFF, "-o", report.toString());
        assertEquals(ok("import", HTRACE_DIFF, "--json").out(), Files.readString(report));
        assertEquals("rw-------", permissions(report));
        assertEquals(List.of("report.json"), names(dir), "no temporary file left");
    }

    @Test
    void anOutputThatCannotBeWrittenIsOneLineAndExitTwoBeforeAnyWork(@TempDir Path dir) {
        String missing = dir.resolve("no-such-dir/report.json").toString();
        for (String[] args : List.of(new String[] {"handles", "--pid", OWN_PID, "-o", missing}, new String[] {"import", HTRACE_DIFF, "-o", missing},
                new String[] {"dump", DUMP, "-o", dir.toString()}, new String[] {"leaks", "--pid", "999999999", "-o", missing})) {
            CliRunner r = CliRunner.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("jhtrace: cannot write the report to "), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void reportWritesTheFormatItsFileNameSays(@TempDir Path dir) throws IOException {
        Path capture = dir.resolve("capture");
        // counts only, of this JVM: no debugger, a real capture in about a second; at most 3 records, fewer than the
        // verdict's 6, so no leak whatever this JVM opens meanwhile: exit 0
        CliRunner captured = CliRunner.run("capture", "--pid", OWN_PID, "--no-trace", "--every", "500ms", "--for", "1s", "--out", capture.toString());
        assertEquals(0, captured.exitCode(), captured.err());
        CliRunner printedText = CliRunner.run("report", capture.toString());
        CliRunner printedJson = CliRunner.run("report", capture.toString(), "--json");

        Path text = dir.resolve("r.txt");
        Path json = dir.resolve("r.json");
        Path html = dir.resolve("r.html");
        for (Path p : List.of(text, json, html)) {
            CliRunner r = CliRunner.run("report", capture.toString(), "-o", p.toString());
            assertEquals(0, r.exitCode(), "the verdict's exit code whatever the output: " + r.err());
            assertEquals("", r.out());
            assertEquals("rw-------", permissions(p));
        }
        assertEquals(0, printedText.exitCode(), printedText.err());
        assertEquals(0, printedJson.exitCode(), printedJson.err());
        assertTrue(printedText.out().contains("not enough records to judge"), printedText.out());
        assertEquals(printedText.out(), Files.readString(text));
        assertEquals(printedJson.out(), Files.readString(json));
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>") || page.startsWith("<!doctype html>"), page.substring(0, Math.min(200, page.length())));
    }

    @Test
    void replDiffWritesTheLeakReportToAFile(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("diff.json");
        Path text = dir.resolve("diff.txt");
        String lines = String.join("\n", "open " + HTRACE_DIFF, "diff -o " + json, "diff --top 1 --output " + text, "diff --json") + "\n";
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Repl.runLines(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());

        JsonNode written = ReportJson.mapper().readTree(json.toFile());
        JsonNode imported = ReportJson.mapper().readTree(ok("import", HTRACE_DIFF, "--json").out());
        assertEquals(imported.get("outstanding"), written.get("outstanding"));
        assertEquals(imported.get("groups"), written.get("groups"), "the same groups as import finds in the log");
        assertTrue(out.toString().contains("4 outstanding in 3 groups written to " + json), out.toString());
        assertTrue(out.toString().contains("\"outstanding\" : 4"), "diff --json prints the report: " + out);
        assertTrue(Files.readString(text).startsWith("4 outstanding handles in pid 6120"), Files.readString(text));
        assertEquals(1, Files.readString(text).lines().filter(l -> l.startsWith("#")).count(), "--top 1: " + Files.readString(text));
        assertEquals("rw-------", permissions(json));
    }

    /**
     * A launched command's output never reaches the JSON on stdout: to stderr when the report is there, to stdout with -o;
     * its stderr stays stderr.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gdb", "perf"})
    void aLaunchedCommandsOutputStaysOffTheReport(String engineName, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
        Engine engine = Engines.named(engineName);
        // both are required (.ci/run installs them, and runs as root): fail, never skip
        org.junit.jupiter.api.Assertions.assertTrue(engine.availability().available(), engineName + " unavailable: " + engine.availability().detail());
        // ls writes to its stderr itself: a shell's "1>&2" would save and restore descriptor 1 with dup2 while traced,
        // which both engines rightly report as a descriptor made then and still open
        String script = "echo target-says-hello; ls /target-complains; exec 7</etc/hostname";

        Run toStdout = jhtrace(dir, "leaks", "--engine", engineName, "--json", "--", "/bin/sh", "-c", script);
        assertEquals(0, toStdout.exitCode, toStdout.err);
        assertFalse(toStdout.out.contains("target-"), "nothing of the command in the report: " + toStdout.out);
        JsonNode report = ReportJson.mapper().readerFor(JsonNode.class)
                .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(toStdout.out);
        assertEquals(engineName, report.get("engine").asText());
        assertEquals(1, report.get("outstanding").asInt(), "the report is the command's: " + report);
        assertTrue(toStdout.err.contains("target-says-hello\n"), "its stdout went to stderr: " + toStdout.err);
        assertTrue(toStdout.err.contains("target-complains"), toStdout.err);

        Path file = dir.resolve("leaks.json");
        Run toFile = jhtrace(dir, "leaks", "--engine", engineName, "-o", file.toString(), "--", "/bin/sh", "-c", script);
        assertEquals(0, toFile.exitCode, toFile.err);
        assertEquals("target-says-hello\n", toFile.out, "with -o the command keeps stdout, and only it writes there");
        assertTrue(toFile.err.contains("target-complains"), "and its stderr stays stderr: " + toFile.err);
        assertEquals(1, ReportJson.mapper().readTree(file.toFile()).get("outstanding").asInt());
        assertEquals("rw-------", permissions(file));
    }

    private record Run(int exitCode, String out, String err) {
    }

    /** jhtrace in a JVM of its own, its real stdout and stderr to files (the launched command writes to them too). */
    private static Run jhtrace(Path dir, String... args) throws Exception {
        File out = dir.resolve("stdout").toFile();
        File err = dir.resolve("stderr").toFile();
        Process p = new ProcessBuilder(CliRunner.inOwnJvm(args)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out).redirectError(err).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jhtrace ended");
        return new Run(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    private static String[] append(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
