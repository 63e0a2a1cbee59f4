package dev.jhtrace.dump;

import dev.jhtrace.analysis.GroupBy;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Object names, ObjectInfo chains and stream 18, which no public real dump has, on dumps built from the documented layouts. */
class SyntheticDumpTest {
    static final long NTDLL = 0x7ff800000000L, KERNELBASE = 0x7ff810000000L, APP = 0x140000000L;
    static final int OPEN = HandleOperation.OPEN, CLOSE = HandleOperation.CLOSE, BADREF = HandleOperation.BADREF;

    // three stacks, innermost first: two leak (A, B), one is balanced (C)
    static final long[] STACK_A = {NTDLL + 0x9d1e4, KERNELBASE + 0x2a3c, APP + 0x1100, APP + 0x2200};
    static final long[] STACK_B = {NTDLL + 0x9d1e4, KERNELBASE + 0x5000, APP + 0x3300, APP + 0x2200};
    static final long[] STACK_C = {NTDLL + 0x9d2a0, KERNELBASE + 0x2a3c, APP + 0x4400};

    /**
     * The ring, oldest first: A opens 0x4; C opens and closes 0x8; B reopens 0x8; A opens 0xc; C opens and
     * closes 0x10; a bad reference to 0x99; A opens 0x14; C opens 0x18 which is closed again. Leaks: 0x4, 0xc,
     * 0x14 from A and 0x8 from B. The stream lists it newest first, as dbghelp is assumed to.
     */
    static TestDumpWriter leakingDump() {
        TestDumpWriter w = new TestDumpWriter().pid(4242)
                .module(APP, 0x100000, "C:\\app\\leaky.exe")
                .module(NTDLL, 0x200000, "C:\\Windows\\SYSTEM32\\ntdll.dll")
                .module(KERNELBASE, 0x300000, "C:\\Windows\\System32\\KERNELBASE.dll")
                .handle(0x4, "Event", null, 0x1f0003)
                .handle(0x8, "File", "\\Device\\HarddiskVolume3\\app\\data.bin", 0x12019f)
                .handle(0xc, "Event", null, 0x1f0003)
                .handle(0x14, "Event", null, 0x1f0003)
                .handle(0x20, "Key", "\\REGISTRY\\MACHINE", 0x20019); // open before the trace started: no stack
        Object[][] oldestFirst = {
            {0x4L, OPEN, STACK_A}, {0x8L, OPEN, STACK_C}, {0x8L, CLOSE, STACK_C}, {0x8L, OPEN, STACK_B},
            {0xcL, OPEN, STACK_A}, {0x10L, OPEN, STACK_C}, {0x10L, CLOSE, STACK_C}, {0x99L, BADREF, STACK_C},
            {0x14L, OPEN, STACK_A}, {0x18L, OPEN, STACK_C}, {0x18L, CLOSE, STACK_C}};
        for (int i = oldestFirst.length - 1; i >= 0; i--) {
            w.operation((Long) oldestFirst[i][0], 100 + i % 2, (Integer) oldestFirst[i][1], (long[]) oldestFirst[i][2]);
        }
        return w;
    }

    private static MinidumpHandleSource source(byte[] dump, OperationOrder order) {
        return new MinidumpHandleSource(Minidump.parse(dump, "synthetic.dmp"), order);
    }

    @Test
    void handleOperationsBecomeATraceOldestFirst() {
        MinidumpHandleSource s = source(leakingDump().build(), OperationOrder.NEWEST_FIRST);
        TraceLog log = s.tracing().orElseThrow().log();
        assertEquals(11, log.size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), log.events().stream().map(TraceEvent::order).toList());
        assertEquals(List.of(0x4L, 0x8L, 0x8L, 0x8L, 0xcL, 0x10L, 0x10L, 0x99L, 0x14L, 0x18L, 0x18L),
                log.events().stream().map(TraceEvent::handle).toList());
        assertEquals(List.of(EventKind.OPEN, EventKind.OPEN, EventKind.CLOSE, EventKind.OPEN, EventKind.OPEN, EventKind.OPEN,
                EventKind.CLOSE, EventKind.BADREF, EventKind.OPEN, EventKind.OPEN, EventKind.CLOSE),
                log.events().stream().map(TraceEvent::kind).toList());
        TraceEvent first = log.events().get(0);
        assertEquals(4242, first.pid());
        assertEquals(100, first.tid());
        assertEquals(TraceEvent.NO_TIME, first.epochNanos());
        assertEquals(STACK_A.length, first.stack().depth());
        assertEquals(STACK_A[2], first.stack().frame(2).address());
        assertNull(log.lostEvents(), "a dump cannot say whether its ring wrapped");
        // equal stacks are one interned object
        assertTrue(first.stack() == log.events().get(4).stack());

        TraceLog reversed = source(leakingDump().build(), OperationOrder.OLDEST_FIRST).tracing().orElseThrow().log();
        assertEquals(0x18L, reversed.events().get(0).handle());
        assertEquals(EventKind.CLOSE, reversed.events().get(0).kind());
    }

    @Test
    void leakDiffGroupsByStackWithModuleOffsetFrames() {
        MinidumpHandleSource s = source(leakingDump().build(), OperationOrder.NEWEST_FIRST);
        Diff diff = s.leakDiff();
        assertEquals(List.of(0x4L, 0x8L, 0xcL, 0x14L), diff.outstanding().stream().map(OutstandingHandle::handle).toList());
        assertEquals(List.of("Event", "File", "Event", "Event"), diff.outstanding().stream().map(OutstandingHandle::type).toList());
        assertEquals(11, diff.newEvents());
        assertEquals(List.of("ntdll+0x9d1e4", "KERNELBASE+0x2a3c", "leaky+0x1100", "leaky+0x2200"),
                diff.outstanding().get(0).stack().frames().stream().map(StackFrame::symbol).toList());

        LeakReport report = LeakAnalyzer.DEFAULT.analyze(diff, "minidump");
        assertEquals(4, report.outstanding());
        assertEquals("minidump", report.engine());
        assertEquals(2, report.groups().size());
        LeakGroup a = report.groups().get(0);
        assertEquals("leaky+0x1100", a.key());
        assertEquals(3, a.count());
        assertEquals(Map.of("Event", 3), a.types());
        assertEquals(new StackFrame(APP + 0x1100, "leaky", null, 0x1100L, null, null), a.leakFrame());
        assertEquals(List.of(100), a.threads());
        LeakGroup b = report.groups().get(1);
        assertEquals("leaky+0x3300", b.key());
        assertEquals(1, b.count());
        assertEquals(List.of("\\Device\\HarddiskVolume3\\app\\data.bin"), b.names());
        assertEquals(List.of(101), b.threads());

        LeakReport byModule = LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.MODULE).analyze(diff, "minidump");
        assertEquals(1, byModule.groups().size());
        assertEquals("leaky", byModule.groups().get(0).key());
    }

    @Test
    void withoutHandleDataTheTraceAloneDecides() {
        MinidumpHandleSource s = source(leakingDump().withoutHandleData().build(), OperationOrder.NEWEST_FIRST);
        JhtraceException e = assertThrows(JhtraceException.class, s::handles);
        assertEquals(Failure.BAD_INPUT, e.failure());
        assertTrue(e.getMessage().contains("no handle data (stream 12)"), e.getMessage());
        Diff diff = s.leakDiff();
        assertEquals(List.of(0x4L, 0x8L, 0xcL, 0x14L), diff.outstanding().stream().map(OutstandingHandle::handle).toList());
        assertNull(diff.outstanding().get(0).type());
    }

    @Test
    void aDumpCannotBeTraced() {
        HandleTracing t = source(leakingDump().build(), OperationOrder.NEWEST_FIRST).tracing().orElseThrow();
        assertTrue(t.isEnabled());
        JhtraceException enable = assertThrows(JhtraceException.class, () -> t.enable(TraceOptions.DEFAULT));
        assertEquals(Failure.BAD_INPUT, enable.failure());
        assertTrue(enable.getMessage().startsWith("a dump cannot be traced"));
        assertEquals(Failure.BAD_INPUT, assertThrows(JhtraceException.class, t::disable).failure());
    }

    @Test
    void objectNamesAndChainsInThe40ByteForm() {
        ObjectInfo mutant2 = new ObjectInfo(3, new byte[16]);
        ObjectInfo mutant1 = new ObjectInfo(2, new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
        byte[] longData = new byte[100];
        for (int i = 0; i < longData.length; i++) longData[i] = (byte) i;
        byte[] dump = new TestDumpWriter().unusedStreams(3)
                .handle(0x48, "Mutant", "\\Sessions\\1\\BaseNamedObjects\\AppSingleInstance", 0x1f0001, mutant2, mutant1)
                .handle(0x4c, "Thread", null, 0x1fffff, new ObjectInfo(1, longData), new ObjectInfo(1, new byte[] {7}), new ObjectInfo(42, new byte[0]))
                .handle(new TestDumpWriter.Handle(0x50, null, null, 0, 0, 0, 0, List.of()))
                .handle(0x54, "Key", "\\REGISTRY\\USER\\S-1-5-21\\Software\\Ünïcødé ✓", 0x20019)
                .build();
        MinidumpHandleSource s = source(dump, OperationOrder.NEWEST_FIRST);
        Map<Long, HandleEntry> t = s.handles().byHandle();
        Map<String, String> mutantDetails = new LinkedHashMap<>();
        mutantDetails.put("MiniMutantInformation2", "00000000000000000000000000000000");
        mutantDetails.put("MiniMutantInformation1", "0100000000000000");
        assertEquals(new HandleEntry(0x48, "Mutant", "\\Sessions\\1\\BaseNamedObjects\\AppSingleInstance", 0x1f0001L, 0L, 1L, 2L,
                mutantDetails), t.get(0x48L));
        Map<String, String> thread = t.get(0x4cL).details();
        assertEquals(List.of("MiniThreadInformation1", "MiniThreadInformation1#2", "InfoType42"), List.copyOf(thread.keySet()));
        assertTrue(thread.get("MiniThreadInformation1").endsWith("3e3f... (100 bytes)"), thread.get("MiniThreadInformation1"));
        assertEquals("07", thread.get("MiniThreadInformation1#2"));
        assertEquals("", thread.get("InfoType42"));
        assertEquals("(no type)", t.get(0x50L).type());
        assertEquals("\\REGISTRY\\USER\\S-1-5-21\\Software\\Ünïcødé ✓", t.get(0x54L).name());
        assertEquals(Map.of("Mutant", 1, "Thread", 1, "(no type)", 1, "Key", 1), s.handles().countsByType());
        assertTrue(s.tracing().isEmpty());
        assertEquals(3, s.dump().directory().stream().filter(e -> e.streamType() == 0).count());
    }

    @Test
    void namesInThe32ByteForm() {
        byte[] dump = new TestDumpWriter().descriptorSize(32).pid(77)
                .handle(0x4, "File", "\\Device\\Null", 0x120196)
                .handle(0x8, "Section", "\\BaseNamedObjects\\shm", 0xf0007)
                .build();
        MinidumpHandleSource s = source(dump, OperationOrder.NEWEST_FIRST);
        assertEquals(List.of("\\Device\\Null", "\\BaseNamedObjects\\shm"), s.handles().entries().stream().map(HandleEntry::name).toList());
        assertEquals(77, s.target().pid());
        assertEquals(77, s.handles().pid());
        assertEquals(new SystemInfo(9, 8, 1, 10, 0, 22631, 2, "Service Pack 9"), s.dump().systemInfo());
    }

    @Test
    void opensFromAFileThroughTheEngine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("leak.dmp");
        Files.write(file, leakingDump().build());
        try (var source = new MinidumpEngine().open(file)) {
            assertEquals("leaky.exe", source.target().name());
            assertEquals(5, source.handles().size());
            assertEquals(4, ((MinidumpHandleSource) source).leakDiff().size());
        }
    }
}
