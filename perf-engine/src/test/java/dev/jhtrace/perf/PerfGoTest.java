package dev.jhtrace.perf;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.examples.CProgram;
import dev.jhtrace.examples.GoProgram;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Go program on the perf engine. perf's DWARF unwinder stops in the runtime's syscall stub (the Go linker writes no
 * .eh_frame), so its stacks are the kernel's frame-pointer walk, which Go keeps, or, recorded with DWARF (--all), the
 * same walk on the stack copy: the leaking frame is the program's own function, with its file and line (addr2line needs
 * the executable's link address added: Go links at 0x400000).
 */
class PerfGoTest {
    private static final Path SOURCE = DrivenProcess.root().resolve("examples/linux/goleak.go");

    private static Path goleak() {
        return GoProgram.build(SOURCE, Path.of("target/go/goleak").toAbsolutePath());
    }

    /** Attaches {@code engine} to a fresh goleak, has it leak 5 files, and returns the group of those files. */
    private static LeakGroup hostnames(PerfEngine engine) throws Exception {
        return withGoleak((go, leak5) -> {
            try (PerfHandleSource source = engine.attach((int) go.pid(), TraceOptions.DEFAULT)) {
                HtraceSession session = new HtraceSession(source);
                Snapshot snapshot = session.enable(TraceOptions.DEFAULT);
                leak5.run();
                Diff diff = session.diff(snapshot);
                assertEquals(0L, diff.lostEvents());
                return hostnames(session.report(diff, LeakAnalyzer.DEFAULT).groups());
            }
        });
    }

    private interface Traced {
        LeakGroup run(Process go, Leak leak5) throws Exception;
    }

    private interface Leak {
        void run() throws Exception;
    }

    /** Runs a fresh goleak for {@code traced}, which has it leak 5 files when it likes; the program must run on. */
    private static LeakGroup withGoleak(Traced traced) throws Exception {
        Process go = new ProcessBuilder(goleak().toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(go.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(go.getOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals(Long.toString(go.pid()), out.readLine(), "goleak prints its pid first");
            LeakGroup g = traced.run(go, () -> {
                in.println("leak 5");
                assertEquals("leaked 5", out.readLine());
            });
            assertTrue(go.isAlive(), "the program runs on");
            return g;
        } finally {
            go.destroyForcibly();
        }
    }

    private static LeakGroup hostnames(List<LeakGroup> groups) {
        List<LeakGroup> files = groups.stream().filter(g -> g.names().contains("/etc/hostname")).toList();
        assertEquals(1, files.size(), "one group of the 5 files: " + groups);
        return files.get(0);
    }

    /** main.leakFile, with the line of its call, leaks the 5 files, and the stack goes down to main.main. */
    private static void assertLeakFileWithItsLine(LeakGroup g) throws Exception {
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

    @Test
    @Timeout(300)
    void aGoProgramsLeakingFrameIsItsOwnFunctionWithItsLine() throws Exception {
        assertLeakFileWithItsLine(hostnames(new PerfEngine()));
    }

    /** Recorded with DWARF, as every process is under --all: the same frame-pointer walk, done on the stack copy. */
    @Test
    @Timeout(300)
    void recordedWithDwarfAGoProgramsCallersAreWalkedInItsStackCopy() throws Exception {
        assertLeakFileWithItsLine(hostnames(new PerfEngine().withoutGoFramePointers()));
    }

    /** The control: unwound with DWARF and not walked on, the stack ends in the runtime and names no function of the program's. */
    @Test
    @Timeout(300)
    void controlUnwoundWithDwarfAloneTheStackEndsInTheRuntime() throws Exception {
        LeakGroup g = hostnames(new PerfEngine().withoutGoFramePointers().withoutGoFrameWalk());
        StackFrame leak = g.leakFrame();
        assertNotEquals("main.leakFile", leak == null ? null : leak.function(), g.stack().toString());
        assertFalse(g.stack().frames().stream().anyMatch(f -> f.function() != null && f.function().startsWith("main.")), g.stack().toString());
    }

    /** Every process of the machine traced at once (--all): the Go program among them leaks under its own function. */
    @Test
    @Timeout(300)
    void underAllAGoProgramsLeakingFrameIsItsOwnFunction() throws Exception {
        LeakGroup g = withGoleak((go, leak5) -> {
            try (HandleSource all = new PerfEngine().attachAll(TraceOptions.DEFAULT)) {
                new HtraceSession(all).enable(TraceOptions.DEFAULT);
                leak5.run();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (true) { // the machine's processes appear as perf's stream reaches their calls
                    HandleSource process = all.children().stream().filter(c -> c.target().pid() == go.pid()).findFirst().orElse(null);
                    if (process != null) {
                        HtraceSession session = new HtraceSession(process);
                        List<LeakGroup> groups = session.report(session.diff(session.enable(TraceOptions.DEFAULT)), LeakAnalyzer.DEFAULT).groups();
                        if (groups.stream().anyMatch(x -> x.names().contains("/etc/hostname") && x.count() == 5)) return hostnames(groups);
                    }
                    assertTrue(System.nanoTime() < deadline, "goleak's 5 files under --all: " + all.children().stream().map(HandleSource::target).toList());
                    Thread.sleep(100);
                }
            }
        });
        assertLeakFileWithItsLine(g);
    }

    /**
     * A Go program that a traced shell starts: recorded with DWARF as its shell is (the frame-pointer call graph is
     * chosen for the launched executable only), its callers walked on the stack copy. Its stacks are unwound while it
     * runs (a log taken then), since the walk reads its executable through /proc; it then ends, and what it held at its
     * end leaks under its own function.
     */
    @Test
    @Timeout(300)
    void aGoProgramATracedShellStartsLeaksUnderItsOwnFunction(@TempDir Path dir) throws Exception {
        Path in = Fifo.make(dir.resolve("in"));
        Path out = Fifo.make(dir.resolve("out"));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "\"$0\" <\"$1\" >\"$2\"; exit 0", goleak().toString(), in.toString(), out.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        try (PerfHandleSource source = new PerfEngine().launch(pb, TraceOptions.DEFAULT)) {
            int pid;
            try (PrintWriter toGo = new PrintWriter(new FileOutputStream(in.toFile()), true, StandardCharsets.UTF_8);
                 BufferedReader fromGo = new BufferedReader(new InputStreamReader(new FileInputStream(out.toFile()), StandardCharsets.UTF_8))) {
                pid = Integer.parseInt(fromGo.readLine());
                toGo.println("leak 5");
                assertEquals("leaked 5", fromGo.readLine());
                source.perfTracing().syncStream();
                goChild(source, pid).tracing().orElseThrow().log(); // its stacks unwound while it runs
            } // its stdin ends: goleak returns, then the shell exits
            Process shell = source.launchedProcess().orElseThrow();
            assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the shell ends after goleak");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (source.childrenAlive() && System.nanoTime() < deadline) LaunchGate.pause();
            HtraceSession session = new HtraceSession(goChild(source, pid));
            List<LeakGroup> groups = session.report(session.diff(session.enable(TraceOptions.DEFAULT)), LeakAnalyzer.DEFAULT).groups();
            // after its exit the replayed table has no names for what it opened last: the files are its one File group
            List<LeakGroup> files = groups.stream().filter(g -> g.types().containsKey("File")).toList();
            assertEquals(1, files.size(), groups.toString());
            assertLeakFileWithItsLine(files.get(0));
        }
    }

    private static HandleSource goChild(PerfHandleSource source, int pid) {
        return source.children().stream().filter(c -> c.target().pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("goleak " + pid + " among " + source.children().stream().map(HandleSource::target).toList()));
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
