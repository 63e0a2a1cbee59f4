package dev.jhtrace.gdb;

import dev.jhtrace.examples.CProgram;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.Engines;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The symbol path ({@link TraceOptions#symbolPath()}) finds debug information kept apart from a stripped binary. */
class SymbolPathTest {
    @TempDir
    Path dir;

    @Test
    void separateDebugFilesAreFoundByBuildIdUnderTheSymbolPath() throws Exception {
        Path built = CProgram.build(LinuxExamples.root().resolve("examples/linux/demo-server.c"), dir.resolve("built/demo-server"));
        Path stripped = dir.resolve("demo-server");
        Files.copy(built, stripped);
        Path debugFile = dir.resolve("demo-server.debug");
        run("objcopy", "--only-keep-debug", built.toString(), debugFile.toString());
        run("strip", "-g", stripped.toString());
        String id = buildId(stripped);
        Path symbols = dir.resolve("symbols");
        Path byId = symbols.resolve(".build-id/" + id.substring(0, 2) + "/" + id.substring(2) + ".debug");
        Files.createDirectories(byId.getParent());
        Files.move(debugFile, byId);

        StackFrame without = leakFrame(stripped, List.of());
        assertEquals("load_template", without.function(), "the symbol table survives strip -g");
        assertNull(without.file(), "no line information without the debug file");

        StackFrame with = leakFrame(stripped, List.of(symbols.toString()));
        assertEquals("load_template", with.function());
        assertTrue(with.file() != null && with.file().endsWith("demo-server.c"), String.valueOf(with));
        assertEquals(28, with.line());
    }

    /** Launches the demo server for a moment and returns the leaking frame of its file leak. */
    private static StackFrame leakFrame(Path program, List<String> symbolPath) throws InterruptedException {
        try (HandleSource source = Engines.named("gdb").launch(List.of(program.toString(), "0.2", "50"), TraceOptions.DEFAULT.withSymbolPath(symbolPath))) {
            HtraceSession session = new HtraceSession(source);
            Snapshot start = session.enable(TraceOptions.DEFAULT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (source.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            LeakReport report = session.report(session.diff(start), LeakAnalyzer.DEFAULT);
            return report.groups().stream().map(LeakGroup::leakFrame)
                    .filter(f -> f != null && "load_template".equals(f.function())).findFirst()
                    .orElseThrow(() -> new AssertionError("no load_template group in " + report.groups()));
        }
    }

    private static String buildId(Path elf) throws Exception {
        Matcher m = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(run("readelf", "-n", elf.toString()));
        assertTrue(m.find(), "gcc wrote a build id");
        return m.group(1);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
        return out;
    }
}
