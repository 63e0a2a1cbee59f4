package dev.jhtrace.capture;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureFilesTest {
    private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");

    static CaptureHeader header(int segment, int pid) {
        return new CaptureHeader(CaptureHeader.FORMAT, "20261122T020000Z-1", segment, 1, pid, "srv", "gdb", true, T0, 1000, 20, 100, 0);
    }

    static CaptureRecord record(long seq, int segment, int pid, int total, int leaked) {
        List<HandleEntry> entries = new ArrayList<>();
        for (int i = 0; i < total; i++) entries.add(HandleEntry.of(3 + i, i < leaked ? "File" : "Socket", i < leaked ? "/tmp/f" + i : "socket:[1]"));
        Map<String, Integer> types = new LinkedHashMap<>();
        types.put("File", leaked);
        types.put("Socket", total - leaked);
        StackTrace stack = new StackTrace(List.of(new StackFrame(0x7f00, "libc.so.6", "open64", 0x41L, null, null),
                new StackFrame(0x401196, "srv", "load_template", 0x2dL, "srv.c", 28)));
        StackGroup g = new StackGroup(StackIds.of(stack), "srv!load_template+0x2d", leaked, 1, Map.of("File", leaked), List.of("/tmp/f0"), stack);
        return new CaptureRecord(seq, segment, pid, T0.plusSeconds(seq), total, types, entries, 0, leaked, 1, 2, 0L, 0, List.of(g), 0, null);
    }

    @Test
    void recordsRoundTripThroughTheFormat() {
        CaptureRecord r = record(4, 1, 77, 6, 2);
        CaptureFormat.RecordLine back = (CaptureFormat.RecordLine) CaptureFormat.parse(CaptureFormat.line(r));
        assertEquals(r, back.record());
        CaptureHeader h = header(2, 77);
        assertEquals(h, ((CaptureFormat.HeaderLine) CaptureFormat.parse(CaptureFormat.line(h))).header());
    }

    /** The inferred counts and the engine's notes round-trip too, and a line written before them reads as none. */
    @Test
    void inferredCountsAndNotesRoundTripAndOlderLinesHaveNone() {
        CaptureRecord plain = record(4, 1, 77, 6, 2);
        StackGroup g = plain.groups().get(0);
        CaptureRecord r = new CaptureRecord(plain.seq(), plain.segment(), plain.pid(), plain.time(), plain.total(), plain.types(), plain.entries(),
                0, plain.outstanding(), plain.opened(), plain.newEvents(), 0L, 0,
                List.of(new StackGroup(g.id(), g.key(), g.count(), g.opened(), g.types(), g.names(), g.stack(), 1)), 0, null,
                List.of("1 received message held control data outside the stack perf copies"));
        String line = CaptureFormat.line(r);
        assertEquals(r, ((CaptureFormat.RecordLine) CaptureFormat.parse(line)).record());
        String older = CaptureFormat.line(plain);
        assertFalse(older.contains("\"notes\"") || older.contains("\"inferred\""), "written only when there is something: " + older);
        CaptureRecord back = ((CaptureFormat.RecordLine) CaptureFormat.parse(older)).record();
        assertEquals(List.of(), back.notes());
        assertEquals(0, back.groups().get(0).inferred());
    }

    @Test
    void filesAndDirectoryAreOwnerOnly(@TempDir Path tmp) throws IOException {
        Path dir = CaptureFiles.prepareDirectory(tmp.resolve("cap"));
        try (SegmentWriter w = new SegmentWriter(dir, header(1, 77), new DiskBudget(1 << 20), 0)) {
            w.append(record(1, 1, 77, 3, 1));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.file())));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void aRecordCutShortByACrashIsSkippedAndTheRestLoads(@TempDir Path dir) throws IOException {
        Path file;
        try (SegmentWriter w = new SegmentWriter(dir, header(1, 77), new DiskBudget(1 << 20), 0)) {
            for (int i = 1; i <= 5; i++) w.append(record(i, 1, 77, 10, i));
            file = w.file();
        }
        // what a kill in the middle of write() leaves: the start of a sixth record, no line break
        String sixth = CaptureFormat.line(record(6, 1, 77, 10, 6));
        Files.writeString(file, sixth.substring(0, sixth.length() / 2), StandardOpenOption.APPEND);
        Capture c = CaptureReader.read(dir);
        assertEquals(5, c.records().size());
        assertEquals(1, c.skippedLines());
        assertEquals(5, c.records().get(4).outstanding());
        assertTrue(c.problems().get(0).contains("line 7 skipped"), c.problems().toString());
    }

    @Test
    void segmentsAreReadInOrderAcrossFiles(@TempDir Path dir) throws IOException {
        DiskBudget budget = new DiskBudget(1 << 20);
        try (SegmentWriter w = new SegmentWriter(dir, header(1, 77), budget, 0)) {
            for (int i = 1; i <= 3; i++) w.append(record(i, 1, 77, 5, 1));
        }
        try (SegmentWriter w = new SegmentWriter(dir, header(2, 78), budget, 0)) {
            for (int i = 4; i <= 6; i++) w.append(record(i, 2, 78, 5, 1));
        }
        Capture c = CaptureReader.read(dir);
        assertEquals(2, c.segments().size());
        assertEquals(78, c.segments().get(1).pid());
        assertEquals(List.of(4L, 5L, 6L), c.segments().get(1).records().stream().map(CaptureRecord::seq).toList());
    }

    /**
     * capture --all: several segments written at once, one budget. No writer loses the file it is writing (a deleted
     * file would take every record after it), and each rolls small enough for all to fit.
     */
    @Test
    void severalSegmentsWrittenAtOnceKeepTheBudgetWithoutDeletingAnyFileBeingWritten(@TempDir Path dir) throws IOException {
        int writers = 4;
        DiskBudget budget = new DiskBudget(DiskBudget.MIN_BYTES * 4, writers);
        java.util.Set<Path> writing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<SegmentWriter> ws = new ArrayList<>();
        for (int s = 1; s <= writers; s++) {
            CaptureHeader h = new CaptureHeader(CaptureHeader.FORMAT, "20261122T020000Z-1", s, 1, 70 + s, "p" + s, "perf", true, T0, 1000, 20, 100, 0, null, true);
            ws.add(new SegmentWriter(dir, h, budget, 0, writing));
        }
        long seq = 0;
        for (int round = 1; round <= 150; round++) {
            for (int s = 1; s <= writers; s++) {
                SegmentWriter w = ws.get(s - 1);
                w.append(record(++seq, s, 70 + s, 20, 5));
                for (SegmentWriter each : ws) assertTrue(Files.exists(each.file()), "round " + round + ": " + each.file() + " deleted while written");
            }
            assertTrue(size(dir) <= budget.maxBytes(), "over budget after round " + round + ": " + size(dir));
        }
        for (SegmentWriter w : ws) w.close();
        assertTrue(writing.isEmpty(), "closed writers leave the set");
        Capture c = CaptureReader.read(dir);
        assertTrue(c.allProcesses());
        assertEquals(Capture.ALL_PROCESSES, c.name());
        assertEquals(writers, c.segments().size(), "every process's newest records survive");
        for (Capture.Segment s : c.segments()) {
            assertEquals("p" + s.segment(), s.name());
            assertEquals(seq - writers + s.segment(), s.records().get(s.records().size() - 1).seq());
        }
    }

    @Test
    void rotationKeepsTheDirectoryUnderBudgetOldestFirst(@TempDir Path dir) throws IOException {
        DiskBudget budget = new DiskBudget(DiskBudget.MIN_BYTES);
        Path current;
        int rotated;
        try (SegmentWriter w = new SegmentWriter(dir, header(1, 77), budget, 0)) {
            for (int i = 1; i <= 200; i++) {
                w.append(record(i, 1, 77, 20, 5));
                assertTrue(size(dir) <= budget.maxBytes(), "over budget after record " + i + ": " + size(dir));
            }
            current = w.file();
            rotated = w.rotatedFiles();
        }
        assertTrue(rotated > 0);
        Capture c = CaptureReader.read(dir);
        assertEquals(200, c.records().get(c.records().size() - 1).seq(), "the newest record survives");
        assertTrue(c.records().get(0).seq() > 1, "the oldest were rotated away");
        assertTrue(Files.exists(current));
        assertTrue(c.rotatedFiles() > 0);
    }

    @Test
    void ofSeveralCapturesInOneDirectoryTheNewestIsRead(@TempDir Path dir) throws IOException {
        CaptureHeader old = header(1, 77);
        CaptureHeader newer = new CaptureHeader(CaptureHeader.FORMAT, "20261123T000000Z-2", 1, 1, 88, "srv", "gdb", true,
                T0.plusSeconds(86_400), 1000, 20, 100, 0);
        try (SegmentWriter w = new SegmentWriter(dir, old, new DiskBudget(1 << 20), 0)) {
            w.append(record(1, 1, 77, 3, 1));
        }
        try (SegmentWriter w = new SegmentWriter(dir, newer, new DiskBudget(1 << 20), 0)) {
            w.append(record(1, 1, 88, 3, 1));
            w.append(record(2, 1, 88, 4, 2));
        }
        Capture c = CaptureReader.read(dir);
        assertEquals("20261123T000000Z-2", c.captureId());
        assertEquals(2, c.records().size());
        assertTrue(c.problems().contains("1 older capture(s) in the same directory were not read"), c.problems().toString());
    }

    @Test
    void anEmptyDirectoryIsBadInput(@TempDir Path dir) {
        JhtraceException e = assertThrows(JhtraceException.class, () -> CaptureReader.read(dir));
        assertTrue(e.getMessage().startsWith("no capture files"), e.getMessage());
        assertThrows(JhtraceException.class, () -> CaptureReader.read(dir.resolve("missing")));
    }

    @Test
    void garbageIsSkippedNotFatal(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("capture-x.jsonl"), "this is not json\n{\"kind\":\"record\"}\n");
        JhtraceException e = assertThrows(JhtraceException.class, () -> CaptureReader.read(dir));
        assertTrue(e.getMessage().contains("no readable capture"), e.getMessage());
    }

    private static long size(Path dir) throws IOException {
        long total = 0;
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) total += Files.size(p);
        }
        return total;
    }

}
