package dev.jhtrace.windbg;

import dev.jhtrace.model.HandleEntry;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandleParserTest {

    private static HandleOutput only(WindbgLog log) {
        assertEquals(1, log.outputs().size(), log.outputs().toString());
        return assertInstanceOf(HandleOutput.class, log.outputs().get(0).content());
    }

    private static Map<String, Integer> counts(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Integer) kv[i + 1]);
        return m;
    }

    @Test
    void w3wpSummaryQuotedInTheSeedWithATypoedCommandAndAnAuthorAnnotation() {
        // Seed 001 quotes "!handle 0 0" output of a leaking w3wp.exe; the author typed "!hande" and annotated a row.
        String text = Fixtures.seedLines("001", 15, 34);
        assertTrue(text.startsWith("0:00>!hande 0 0\n66316 Handles\n"), text);
        WindbgLog log = new WindbgLogParser().parse("seed-001", text);
        assertEquals("!hande 0 0", log.outputs().get(0).command());
        HandleOutput h = only(log);
        assertEquals(66316, h.reportedTotal());
        assertEquals(17, h.typeCounts().size());
        assertEquals(65602, h.typeCounts().get("Key"));
        assertEquals(339, h.typeCounts().get("Event"));
        assertEquals(1, h.typeCounts().get("KeyedEvent"));
        assertEquals(66316, h.typeCounts().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of("seed-001:13: text after the count ignored: Key 65602 ==> Large Value"),
                log.problems().stream().map(ParseProblem::toString).toList());
    }

    @Test
    void theSameSummaryWithNonBreakingSpacesAndBlankLinesParsesAlike() {
        String text = Fixtures.seedLines("003", 51, 89);
        HandleOutput nbsp = only(new WindbgLogParser().parse("seed-003", text));
        HandleOutput plain = only(new WindbgLogParser().parse("seed-001", Fixtures.seedLines("001", 15, 34)));
        assertEquals(plain.typeCounts(), nbsp.typeCounts());
        assertEquals(66316, nbsp.reportedTotal());
    }

    @Test
    void typeOnly() {
        HandleOutput h = only(Fixtures.parse("022"));
        assertEquals(List.of(HandleEntry.of(0x3c, "File", null)), h.handles());
        assertEquals(0, h.handleDigits());
        assertTrue(!h.hasSummary());
    }

    @Test
    void markdownQuotedSummaryWithUnpaddedLongNames() {
        HandleOutput h = only(Fixtures.parse("023"));
        assertEquals(135, h.reportedTotal());
        assertEquals(counts("None", 6, "Event", 8, "File", 7, "Directory", 3, "Key", 4, "Thread", 92, "IoCompletion", 3,
                "TpWorkerFactory", 3, "ALPC Port", 1, "WaitCompletionPacket", 8), h.typeCounts());
        assertEquals(List.copyOf(h.typeCounts().keySet()).get(8), "ALPC Port");
    }

    @Test
    void threadDetailWithHtmlEscapedNoneAndObjectInfo() {
        HandleEntry e = only(Fixtures.parse("025")).handles().get(0);
        assertEquals(0x244, e.handle());
        assertEquals("Thread", e.type());
        assertNull(e.name());
        assertEquals(0x1fffffL, e.grantedAccess());
        assertEquals(0L, e.attributes());
        assertEquals(131L, e.handleCount());
        assertEquals(130760L, e.pointerCount());
        assertEquals("<none>", e.details().get("Name"));
        assertEquals("Delete,ReadControl,WriteDac,WriteOwner,Synch\n"
                + "Terminate,Suspend,Alert,GetContext,SetContext,SetInfo,QueryInfo,SetToken,Impersonate,DirectImpersonate", e.details().get("Rights"));
        assertEquals("51c0.85a4", e.details().get("Thread Id"));
        assertEquals("10", e.details().get("Priority"));
        assertEquals("0", e.details().get("Base Priority"));
        assertEquals("a1133e handle_leak!ILT+825(_mainCRTStartup)", e.details().get("Start Address"));
    }

    @Test
    void twoDetailCommandsWithRealNames() {
        WindbgLog log = Fixtures.parse("027");
        assertEquals(2, log.outputs().size());
        HandleEntry key = assertInstanceOf(HandleOutput.class, log.outputs().get(0).content()).handles().get(0);
        HandleEntry event = assertInstanceOf(HandleOutput.class, log.outputs().get(1).content()).handles().get(0);
        assertEquals(new HandleEntry(0x164, "Key", "\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Ole", 0x20019L, 0L, 2L, 65536L,
                Map.of("Rights", "ReadControl\nQueryValue,EnumSubKey,Notify")), key);
        assertEquals("\\Sessions\\3\\BaseNamedObjects\\{10C4A3B3-BDB8-4e63-B7DD-DC0A974472F4}", event.name());
        assertEquals(8, assertInstanceOf(HandleOutput.class, log.outputs().get(0).content()).handleDigits());
    }

    @Test
    void fullListingAndSummary() {
        HandleOutput h = only(Fixtures.parse("028"));
        assertEquals(33, h.handles().size());
        assertEquals(33, h.reportedTotal());
        assertEquals(HandleEntry.of(0xa4, "File", null), h.handles().get(32));
        assertEquals(4, h.handles().stream().filter(e -> "IRTimer".equals(e.type())).count());
        assertEquals(counts("None", 4, "Event", 4, "File", 7, "Directory", 2, "Mutant", 1, "Semaphore", 2, "Key", 3,
                "IoCompletion", 2, "TpWorkerFactory", 2, "ALPC Port", 1, "WaitCompletionPacket", 5), h.typeCounts());
    }

    @Test
    void fileDetailWithoutNameOrObjectInfo() {
        HandleEntry e = only(Fixtures.parse("029")).handles().get(0);
        assertEquals(new HandleEntry(0xa4, "File", null, 0x120196L, 0L, 2L, 32769L,
                Map.of("Rights", "ReadControl,Synch\nWrite/Add,Append/SubDir/CreatePipe,WriteEA,ReadAttr,WriteAttr",
                        WindbgWriter.OBJECT_INFO, WindbgWriter.NOT_AVAILABLE)), e);
    }

    @Test
    void truncatedSummaryKeepsTheDebuggersTotal() {
        WindbgLog log = Fixtures.parse("031");
        HandleOutput h = only(log);
        assertNull(log.outputs().get(0).command());
        assertEquals(146287, h.reportedTotal());
        assertEquals(145913, h.typeCounts().get("Event"));
        assertEquals(11, h.typeCounts().size());
        assertEquals(18, log.problems().get(0).line());
        assertEquals("Io", log.problems().get(0).text());
    }

    @Test
    void summaryOnly() {
        HandleOutput h = only(Fixtures.parse("032"));
        assertNull(h.reportedTotal());
        assertEquals(counts("Event", 26762, "Key", 20745), h.typeCounts());
        assertTrue(h.handles().isEmpty());
    }

    @Test
    void typedListingOfEvents() {
        HandleOutput h = only(Fixtures.parse("033"));
        assertEquals(7, h.handles().size());
        assertEquals(16, h.handleDigits());
        assertEquals("Event", h.typeFilter());
        assertEquals(7, h.typeFilterCount());
        HandleEntry a8 = h.handles().get(5);
        assertEquals(0xa8, a8.handle());
        assertEquals("\\BaseNamedObjects\\FilesCreatedEvent", a8.name());
        assertEquals("Manual Reset", a8.details().get("Event Type"));
        assertEquals("Waiting", a8.details().get("Event is"));
        assertEquals(65538L, a8.pointerCount());
    }

    @Test
    void semaphores() {
        HandleOutput h = only(Fixtures.parse("035"));
        assertEquals(List.of(0x78L, 0x7cL, 0xa8L), h.handles().stream().map(HandleEntry::handle).toList());
        assertEquals("0", h.handles().get(2).details().get("Semaphore Count"));
        assertEquals("1", h.handles().get(2).details().get("Semaphore Limit"));
        assertEquals("Semaphore", h.typeFilter());
        assertEquals(3, h.typeFilterCount());
    }

    @Test
    void indentedCodeBlockWithTwoCommands() {
        WindbgLog log = Fixtures.parse("037");
        assertEquals(2, log.outputs().size());
        HandleEntry event = assertInstanceOf(HandleOutput.class, log.outputs().get(0).content()).handles().get(0);
        assertEquals(0x1cc, event.handle());
        assertEquals(129L, event.pointerCount());
        HandleOutput files = assertInstanceOf(HandleOutput.class, log.outputs().get(1).content());
        assertEquals("!handle 0 1 File", log.outputs().get(1).command());
        assertEquals(List.of(HandleEntry.of(0x1c0, "File", null)), files.handles());
        assertEquals(1, files.elisions());
        assertEquals("File", files.typeFilter());
        assertEquals(7, files.typeFilterCount());
    }

    @Test
    void multiProcessPromptAndSymbolWithBacktick() {
        WindbgLog log = Fixtures.parse("039");
        assertEquals("10:220", log.outputs().get(0).prompt());
        HandleEntry e = only(log).handles().get(0);
        assertEquals("83370e0 chrome!base::`anonymous namespace'::ThreadFunc", e.details().get("Start Address"));
        assertEquals("115c.54e8", e.details().get("Thread Id"));
    }

    @Test
    void tabsExpandedToSpaces() {
        HandleOutput h = only(Fixtures.parse("043"));
        assertEquals(List.of(HandleEntry.of(4, "Section", null), HandleEntry.of(8, "Event", null), HandleEntry.of(0xc, "Event", null),
                HandleEntry.of(0x10, "Event", null), HandleEntry.of(0x14, "Directory", null), HandleEntry.of(0x5c, "File", null)), h.handles());
        assertEquals(6, h.reportedTotal());
        assertEquals(counts("Event", 3, "Section", 1, "File", 1, "Directory", 1), h.typeCounts());
    }

    @Test
    void kernelHandleTable() {
        HandleOutput h = only(Fixtures.parse("045"));
        assertEquals(0, h.pid());
        assertEquals("Idle", h.process());
        assertEquals(380, h.reportedTotal());
        assertEquals(2, h.freeEntries());
        assertEquals(2, h.elisions());
        assertEquals(List.of(0x4L, 0x8L, 0xcL, 0x10L, 0x168L, 0x16cL, 0x174L), h.handles().stream().map(HandleEntry::handle).toList());
        HandleEntry protectedOne = h.handles().get(4);
        assertEquals(3L, protectedOne.grantedAccess());
        assertEquals("Protected", protectedOne.details().get("Flags"));
        assertEquals("ffb6c748", protectedOne.details().get("Object"));
    }

    @Test
    void kernelObjectDetail() {
        HandleEntry e = only(Fixtures.parse("046")).handles().get(0);
        assertEquals(new HandleEntry(0x14, "Key", "\\REGISTRY\\MACHINE\\SYSTEM\\CONTROLSET001\\CONTROL\\SESSION MANAGER\\EXECUTIVE",
                0x2001fL, null, 1L, 1L, Map.of("Object", "e12751d0", "ObjectHeader", "e12751b8")), e);
    }
}
