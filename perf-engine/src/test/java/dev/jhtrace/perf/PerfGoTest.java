package dev.jhtrace.perf;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.examples.CProgram;
import dev.jhtrace.examples.GoProgram;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Go program on the perf engine. perf's DWARF unwinder stops in the runtime's syscall stub (the Go linker writes no
 * .eh_frame), so its stacks are the kernel's frame-pointer walk, which Go keeps: the leaking frame is the program's own
 * function, with its file and line (addr2line needs the executable's link address added: Go links at 0x400000).
 */
class PerfGoTest {
    private static final Path SOURCE = DrivenProcess.root().resolve("examples/linux/goleak.go");

    private static Path goleak() {
        return GoProgram.build(SOURCE, Path.of("target/go/goleak").toAbsolutePath());
    }

    /** Attaches {@code engine} to a fresh goleak, has it leak 5 files, and returns the group of those files. */
    private static LeakGroup hostnames(PerfEngine engine) throws Exception {
        Process go = new ProcessBuilder(goleak().toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(go.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(go.getOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals(Long.toString(go.pid()), out.readLine(), "goleak prints its pid first");
            try (PerfHandleSource source = engine.attach((int) go.pid(), TraceOptions.DEFAULT)) {
                HtraceSession session = new HtraceSession(source);
                Snapshot snapshot = session.enable(TraceOptions.DEFAULT);
                in.println("leak 5");
                assertEquals("leaked 5", out.readLine());
                Diff diff = session.diff(snapshot);
                assertEquals(0L, diff.lostEvents());
                List<LeakGroup> groups = session.report(diff, LeakAnalyzer.DEFAULT).groups().stream()
                        .filter(g -> g.names().contains("/etc/hostname")).toList();
                assertEquals(1, groups.size(), "one group of the 5 files: " + groups);
                assertTrue(go.isAlive(), "the program runs on");
                return groups.get(0);
            }
        } finally {
            go.destroyForcibly();
        }
    }

    @Test
    @Timeout(300)
    void aGoProgramsLeakingFrameIsItsOwnFunctionWithItsLine() throws Exception {
        LeakGroup g = hostnames(new PerfEngine());
        assertEquals(5, g.count(), g.stack().toString());
        StackFrame leak = g.leakFrame();
        assertEquals("main.leakFile", leak.function(), "below os.Open, syscall.openat and the runtime's stub: " + g.stack());
        assertEquals("goleak", leak.module());
        int line = Files.readAllLines(SOURCE).indexOf("\tf, err := os.Open(\"/etc/hostname\")") + 1;
        assertTrue(line > 0);
        assertEquals(SOURCE.getFileName().toString(), Path.of(leak.file()).getFileName().toString(), g.stack().toString());
        assertEquals(line, leak.line(), "the call in leakFile, not a line of os.Open inlined there: " + g.stack());
        assertTrue(g.stack().frames().stream().anyMatch(f -> "main.main".equals(f.function())), "down to main: " + g.stack());
    }

    /** The control: unwound with DWARF, as a C program's are, the stack ends in the runtime and names no function of the program's. */
    @Test
    @Timeout(300)
    void controlUnwoundWithDwarfTheStackEndsInTheRuntime() throws Exception {
        LeakGroup g = hostnames(new PerfEngine().withoutGoFramePointers());
        StackFrame leak = g.leakFrame();
        assertNotEquals("main.leakFile", leak == null ? null : leak.function(), g.stack().toString());
        assertFalse(g.stack().frames().stream().anyMatch(f -> f.function() != null && f.function().startsWith("main.")), g.stack().toString());
    }

    @Test
    void goProgramsAreToldFromCOnesByTheirSections() {
        assertTrue(ElfFile.isGo(goleak()));
        Path c = CProgram.build(DrivenProcess.root().resolve("examples/linux/leaky.c"), Path.of("target/examples/leaky").toAbsolutePath());
        assertFalse(ElfFile.isGo(c));
        assertFalse(ElfFile.isGo(SOURCE), "not an ELF file");
        assertEquals(0x400000, ElfFile.codeAddressBias(goleak()), "Go links at a fixed address");
        assertEquals(0, ElfFile.codeAddressBias(c), "a position-independent executable's code lies where it is linked");
    }
}
