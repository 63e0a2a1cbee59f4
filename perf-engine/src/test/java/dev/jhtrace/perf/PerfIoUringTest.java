package dev.jhtrace.perf;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.examples.CProgram;
import dev.jhtrace.model.Diff;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Descriptors a program opens and closes through io_uring: no syscall tracepoint sees them (the ring opens them, and
 * the io_uring tracepoints name neither the descriptor a close releases nor whether an open made a real descriptor or a
 * ring-only one), so the trace cannot give them stacks. The diff still reports the leaked ones from the /proc tables,
 * without a stack, though each took a number the trace had seen a plain close free: that close's thread went on, so
 * the close had ended before the table was read and the number was made again unseen.
 */
class PerfIoUringTest {
    @Test
    @Timeout(120)
    void descriptorsLeakedThroughIoUringAreReportedWithoutAStackAndItsChurnIsNot() throws Exception {
        Path program = CProgram.build(Path.of("src/test/c/uring.c").toAbsolutePath(), Path.of("target/examples/uring").toAbsolutePath(), "-luring");
        try (DrivenProcess target = new DrivenProcess(program);
             PerfHandleSource source = new PerfEngine().attach(target.pid(), TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot snapshot = session.enable(TraceOptions.DEFAULT);
            assertEquals("ok 25", target.send("round 25"));
            Diff diff = session.diff(snapshot);
            assertEquals(0L, diff.lostEvents());
            Map<String, Integer> byFunction = PerfTargetsTest.byLeakFunction(session, diff);
            assertEquals(Map.of("(no stack)", 25), byFunction, "the 25 kept; neither the ring's churn nor read_plain's");
            List<LeakGroup> groups = session.report(diff, LeakAnalyzer.DEFAULT).groups();
            assertTrue(groups.get(0).names().contains("/etc/hostname"), groups.toString());
            assertTrue(target.process.isAlive());
        }
    }
}
