package dev.jhtrace.shell;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.report.ReportJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every jhtrace command README.md shows, run as shown — placeholders (P, N, FILE, DIR, CMD) filled with a
 * live leaky server, the shared fixtures and a fresh capture folder. A command added to README without
 * a runner here fails {@link #everyCommandInTheReadmeHasARunner()}.
 */
class ReadmeCommandsTest {
    private static final Path ROOT = Path.of(System.getProperty("jhtrace.root", ".."));
    private static final Path SHARED = Path.of(System.getProperty("jhtrace.shared", "../shared"));
    /**
     * A name of its own, so that {@code --name} finds exactly this process, also with another build's tests running
     * on the machine (a fixed name found two servers once); within the kernel's 15 characters of a process name.
     */
    private static final String SERVER = "readme" + ProcessHandle.current().pid() % 1_000_000;
    private static Process server;
    private static Path serverBinary;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startServer() throws IOException {
        serverBinary = tmp.resolve(SERVER);
        Files.copy(LeaksCommandTest.demoServer(), serverBinary, StandardCopyOption.COPY_ATTRIBUTES);
        server = new ProcessBuilder(serverBinary.toString(), "600", "50").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.destroyForcibly();
    }

    private static String pid() {
        return String.valueOf(server.pid());
    }

    /** The README's commands, as written: indented code lines and inline code starting with ./jhtrace, and the command table. */
    static Set<String> readmeCommands() throws IOException {
        Set<String> commands = new LinkedHashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("    ./jhtrace")) commands.add(line.strip().replaceAll("\\s+#.*", ""));
            Matcher table = Pattern.compile("^\\| `(jhtrace [^`]*)` \\|").matcher(line);
            if (table.find()) commands.add(table.group(1));
            Matcher inline = Pattern.compile("`((?:source <\\()?\\./jhtrace[^`]*)`").matcher(line);
            while (inline.find()) commands.add(inline.group(1));
        }
        return commands;
    }

    /** How each README command is run here, and what it must do. */
    private static Map<String, Runnable> runners() {
        Map<String, Runnable> r = new LinkedHashMap<>();
        Runnable demo = () -> {
            String home = System.getProperty("jhtrace.home");
            System.setProperty("jhtrace.home", ROOT.toAbsolutePath().toString()); // the launcher passes its checkout
            try {
                CliRunner run = CliRunner.run("demo");
                assertEquals(0, run.exitCode(), run.err());
                assertTrue(run.out().contains("load_template") && run.out().contains("connect_backend"), run.out());
            } finally {
                if (home == null) System.clearProperty("jhtrace.home");
                else System.setProperty("jhtrace.home", home);
            }
        };
        r.put("./jhtrace demo", demo);
        r.put("jhtrace demo", demo);
        r.put("jhtrace leaks --pid P [--for 30s]", () -> {
            CliRunner run = CliRunner.run("leaks", "--pid", pid(), "--for", "2s");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("leaked by") && run.out().contains(SERVER + "!load_template"), run.out());
        });
        r.put("jhtrace leaks [--for 30s] -- CMD ARGS…", () -> {
            CliRunner run = CliRunner.run("leaks", "--for", "30s", "--", serverBinary.toString(), "0.5", "50");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().startsWith("13 outstanding handles in " + SERVER), "25 requests: 8 files and 5 sockets leak\n" + run.out());
        });
        r.put("jhtrace leaks --all [--for 30s] [--processes N]", () -> {
            CliRunner run = CliRunner.run("leaks", "--all", "--for", "2s", "--processes", "1000");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("== process " + SERVER + " (pid " + pid() + ") ==\n") && run.out().contains(SERVER + "!load_template"), run.out());
        });
        r.put("jhtrace handles --pid P [--type T] [--json]", () -> {
            CliRunner run = CliRunner.run("handles", "--pid", pid(), "--type", "File", "--json");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode json = read(run.out());
            assertEquals(json.get("total").asInt(), json.at("/types/File").asInt());
            assertTrue(json.get("total").asInt() > 0, run.out());
        });
        r.put("jhtrace import FILE… [--json]", () -> {
            Path diff = SHARED.resolve("fixtures/windbg/003-aio-cppresourceleaks-htrace-diff.txt");
            CliRunner run = CliRunner.run("import", diff.toString(), "--json");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(read(run.out()).get("outstanding").asInt() > 0, run.out());
        });
        r.put("jhtrace dump FILE.dmp [--json] [--type T]", () -> {
            Path dump = SHARED.resolve("fixtures/dumps/chrome129-many-handles-x64.dmp");
            CliRunner run = CliRunner.run("dump", dump.toString(), "--json", "--type", "Event");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode json = read(run.out());
            assertEquals(json.get("total").asInt(), json.at("/types/Event").asInt());
        });
        r.put("jhtrace capture --pid P \\| --name N \\| --all [--every 5m] [--for 8h] [--out DIR] [--max-disk 500MB]", () -> {
            for (List<String> target : List.of(List.of("--pid", pid()), List.of("--name", SERVER), List.of("--all"))) {
                Path dir = tmp.resolve("capture" + target.get(0));
                List<String> args = new java.util.ArrayList<>(List.of("capture"));
                args.addAll(target);
                args.addAll(List.of("--every", "1s", "--for", "3s", "--out", dir.toString(), "--max-disk", "500MB"));
                CliRunner run = CliRunner.run(args.toArray(String[]::new));
                // 3 s at 1 s: 4 records, fewer than the 6 the verdict needs, so "not enough records" and exit 0
                assertEquals(0, run.exitCode(), "the verdict: " + run.err() + run.out());
                try (var files = Files.list(dir)) {
                    assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".jsonl")), "capture files in " + dir);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        });
        r.put("jhtrace report DIR [--json] [--html FILE]", () -> {
            try {
            Path dir = tmp.resolve("capture--pid");
            if (!Files.isDirectory(dir)) runners().get("jhtrace capture --pid P \\| --name N \\| --all [--every 5m] [--for 8h] [--out DIR] [--max-disk 500MB]").run();
            Path html = tmp.resolve("report.html");
            CliRunner run = CliRunner.run("report", dir.toString(), "--json", "--html", html.toString());
            // the capture above has too few records to judge: no leak, exit 0
            assertFalse(read(run.out()).at("/verdict/leak").asBoolean(), run.out());
            assertTrue(read(run.out()).at("/verdict/summary").asText().startsWith("not enough records to judge"), run.out());
            assertEquals(0, run.exitCode(), "the exit code is the verdict: " + run.err());
            assertTrue(Files.readString(html).contains("<svg"), "the page has its chart");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        r.put("jhtrace doctor", () -> {
            CliRunner run = CliRunner.run("doctor");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("gdb"), run.out());
        });
        r.put("jhtrace generate-completion", () -> {
            CliRunner run = CliRunner.run("generate-completion");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("complete -F"), run.out());
        });
        r.put("source <(./jhtrace generate-completion)", () -> {
            // bash really takes it: afterwards it completes the jhtrace command
            String out = shell("source <(" + String.join(" ", CliRunner.inOwnJvm("generate-completion")) + ") && complete -p jhtrace", "");
            assertTrue(out.contains("jhtrace"), out);
        });
        Runnable repl = () -> {
            String out = run(CliRunner.inOwnJvm(), "help\nq\n");
            assertTrue(out.contains("!htrace") && out.contains("watch"), out);
        };
        r.put("./jhtrace", repl);
        r.put("./jhtrace shell", repl);
        r.put("./jhtrace < commands.txt", () -> {
            String out = run(CliRunner.inOwnJvm(), "attach " + pid() + "\n!handle 0 0\n.detach\nq\n");
            assertTrue(out.matches("(?s).*\\d+ Handles.*"), out);
            assertTrue(out.contains("File"), out);
        });
        r.put("./jhtrace script scripts/find-leaks.groovy my-server 60", () -> {
            CliRunner run = CliRunner.run("script", ROOT.resolve("scripts/find-leaks.groovy").toString(), SERVER, "2");
            assertEquals(3, run.exitCode(), "exit 3: handles are outstanding\n" + run.err() + run.out());
            assertTrue(run.out().contains("load_template"), run.out());
        });
        return r;
    }

    @Test
    void everyCommandInTheReadmeHasARunner() throws IOException {
        Set<String> missing = new LinkedHashSet<>(readmeCommands());
        missing.removeAll(runners().keySet());
        assertEquals(Set.of(), missing, "README shows commands this test does not run");
        assertTrue(readmeCommands().size() >= 15, "the README's commands were found: " + readmeCommands());
    }

    @TestFactory
    Stream<DynamicTest> eachReadmeCommandWorksAsShown() throws IOException {
        Map<String, Runnable> runners = runners();
        return readmeCommands().stream().filter(runners::containsKey).map(c -> DynamicTest.dynamicTest(c, runners.get(c)::run));
    }

    private static JsonNode read(String json) {
        try {
            return ReportJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }


    private static String shell(String script, String stdin) {
        return run(List.of("bash", "-c", script), stdin);
    }

    /** Runs a command with {@code stdin}, expecting exit code 0; returns stdout and stderr together. */
    private static String run(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running: " + command);
            assertEquals(0, p.exitValue(), out);
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
