package dev.jhtrace.windbg;

import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindbgImportTest {

    private static WindbgImport read(String... prefixes) {
        return WindbgImport.read(java.util.Arrays.stream(prefixes).map(Fixtures::windbg).toList());
    }

    private static List<Long> handles(Diff d) {
        return d.outstanding().stream().map(OutstandingHandle::handle).toList();
    }

    @Test
    void fullListingOutstandingAreHandlesWhoseNewestEventIsAnOpen() {
        WindbgImport imp = read("002");
        assertTrue(imp.hasHtrace());
        assertFalse(imp.hasHandles());
        Diff d = imp.diff();
        assertEquals(List.of(0x20L, 0x24L, 0x38L, 0x3cL), handles(d)); // 0x34 was closed after it was opened
        assertEquals(new TargetInfo(0x17e8, null), d.target());
        assertEquals(6, d.newEvents());
        assertEquals(List.of(0L, 1L, 2L, 3L), d.outstanding().stream().map(o -> o.open().order()).toList());
    }

    @Test
    void diffOutputGivesTheSameOutstandingHandlesAndTypesComeFromHandleOutput() {
        WindbgImport imp = read("003", "022");
        Diff d = imp.diff();
        assertEquals(List.of(0x20L, 0x24L, 0x38L, 0x3cL), handles(d));
        assertEquals(0xd9, d.newEvents());
        OutstandingHandle dup = d.outstanding().get(3);
        assertEquals("File", dup.type());
        assertNull(d.outstanding().get(0).type());
        LeakReport r = imp.leakReport();
        assertEquals(WindbgImport.ENGINE, r.engine());
        assertEquals(4, r.outstanding());
        assertEquals(Map.of("(unknown)", 3, "File", 1), r.types());
        // Two elided stacks group together; the two real stacks differ.
        assertEquals(3, r.groups().size());
        LeakGroup elided = r.groups().get(0);
        assertEquals(2, elided.count());
        assertEquals("(stack unknown)", elided.key());
        assertTrue(r.groups().stream().anyMatch(g -> g.leakFrame() != null
                && g.leakFrame().equals(new StackFrame(0x00ab1627L, "CppResourceLeaks", "LeakFileHandle", 0x207L, null, null))));
    }

    @Test
    void cServerGetTokenLeakReport() {
        LeakReport r = read("009").leakReport();
        assertEquals(2, r.outstanding());
        assertEquals(1, r.groups().size());
        LeakGroup g = r.groups().get(0);
        assertEquals(2, g.count());
        assertEquals("test1!CServer::GetToken+0x47", g.key());
        assertEquals(List.of(0x7f4, 0xc34), g.threads());
        assertEquals(new TargetInfo(0x13f0, null), r.target());
    }

    @Test
    void kernelListingWhereEverythingWasClosedHasNoLeaks() {
        WindbgImport imp = read("020");
        assertTrue(imp.hasHtrace());
        assertEquals(0, imp.diff().size());
        assertFalse(imp.leakReport().hasLeaks());
        assertEquals(TargetInfo.UNKNOWN, imp.target());
    }

    @Test
    void diffsWinOverListingsAndAHandleListedTwiceCountsOnce() {
        WindbgImport imp = read("002", "003", "009");
        // The diffs (003, 009) decide; 002's listing is not used.
        assertEquals(List.of(0x20L, 0x24L, 0x38L, 0x3cL, 0x5b4L, 0x5b0L), handles(imp.diff()));
        assertEquals(0xd9 + 0xfa, imp.diff().newEvents());
        WindbgImport twice = read("003", "003");
        assertEquals(4, twice.diff().size());
    }

    @Test
    void enableOnlyLogHasNoHtraceResult() {
        WindbgImport imp = read("001");
        assertFalse(imp.hasHtrace());
        assertFalse(imp.hasHandles());
        assertEquals(0, imp.diff().size());
        JhtraceException e = assertThrows(JhtraceException.class, imp::requireContent);
        assertEquals(Failure.BAD_INPUT, e.failure());
        assertEquals("no !htrace listing or diff and no !handle output in 001-aio-cppresourceleaks-htrace-enable.txt", e.getMessage());
        WindbgImport diff = read("009");
        assertSame(diff, diff.requireContent());
    }

    @Test
    void listingUsesTheDebuggersTotalAndMergesWhatSeveralCommandsKnow() {
        WindbgImport imp = read("028", "029");
        HandleListing l = imp.handleListing();
        assertEquals(33, l.total());
        assertEquals(33, l.handles().size());
        HandleEntry a4 = l.handles().stream().filter(h -> h.handle() == 0xa4).findFirst().orElseThrow();
        assertEquals("File", a4.type());
        assertEquals(0x120196L, a4.grantedAccess());
        assertEquals(32769L, a4.pointerCount());
        assertEquals(List.of("File", "WaitCompletionPacket", "Event", "None", "Key"), List.copyOf(l.types().keySet()).subList(0, 5));
        assertEquals(7, l.types().get("File"));
    }

    @Test
    void truncatedSummaryKeepsTheFigureTheDebuggerPrinted() {
        WindbgImport imp = read("031");
        HandleListing l = imp.handleListing();
        assertEquals(146287, l.total());
        assertTrue(l.handles().isEmpty());
        assertEquals(Map.entry("Event", 145913), l.types().entrySet().iterator().next());
        assertEquals(List.of("031-flighttracker-handle-summary-146287-truncated.txt:18: unrecognized !handle line: Io"), imp.problems());
    }

    @Test
    void w3wpSeedSummary() {
        WindbgLogParser p = new WindbgLogParser();
        WindbgImport imp = WindbgImport.of(List.of(p.parse("w3wp", Fixtures.seedLines("001", 15, 34))), p.stacks());
        HandleListing l = imp.handleListing();
        assertEquals(66316, l.total());
        assertEquals(Map.entry("Key", 65602), l.types().entrySet().iterator().next());
        assertEquals(1, imp.problems().size());
    }

    @Test
    void withoutASummaryTheTotalIsTheDistinctHandlesShown() {
        HandleListing l = read("037", "033").handleListing();
        assertEquals(9, l.total()); // 1cc and 1c0 from 037, seven events from 033
        assertEquals(Map.of("Event", 8, "File", 1), l.types());
    }

    @Test
    void missingFileIsBadInput() {
        JhtraceException e = assertThrows(JhtraceException.class, () -> WindbgImport.read(List.of(Path.of("/nonexistent/x.log"))));
        assertEquals(Failure.BAD_INPUT, e.failure());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void minidumpIsRefusedAsBinary() {
        Path dump = Fixtures.shared().resolve("fixtures/dumps/breakpad-tiny-exe-cet-crashpad-x64.dmp");
        JhtraceException e = assertThrows(JhtraceException.class, () -> WindbgImport.read(List.of(dump)));
        assertEquals(Failure.BAD_INPUT, e.failure());
        assertEquals(dump + ": binary file, not a WinDbg text log", e.getMessage());
    }

    @Test
    void utf16LogWithByteOrderMark(@TempDir Path dir) throws IOException {
        // ".logopen /u" writes UTF-16LE with a BOM.
        Path log = dir.resolve("u.log");
        byte[] text = Files.readString(Fixtures.windbg("009")).getBytes(StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[text.length + 2];
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xfe;
        System.arraycopy(text, 0, bytes, 2, text.length);
        Files.write(log, bytes);
        assertEquals(handles(read("009").diff()), handles(WindbgImport.read(List.of(log)).diff()));
    }
}
