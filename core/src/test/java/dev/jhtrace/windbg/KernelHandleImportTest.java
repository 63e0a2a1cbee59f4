package dev.jhtrace.windbg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.report.ProcessHandles;
import dev.jhtrace.report.ReportJson;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel-debugger {@code !handle 0 3 PROCESS} and {@code !handle 0 3 0 TYPE} output, x64 and x86, with and without
 * the {@code kd>} prompt, one and many processes. The samples in {@code src/test/resources/kd} follow the layout of
 * Microsoft's {@code !handle} documentation with values of our own.
 */
class KernelHandleImportTest {

    private static Path sample(String name) {
        try {
            return Path.of(KernelHandleImportTest.class.getResource("/kd/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WindbgImport read(String... names) {
        return WindbgImport.read(java.util.Arrays.stream(names).map(KernelHandleImportTest::sample).toList());
    }

    @Test
    void x64OneProcessGivesItsHandlesWithObjectTypeAccessAndCounts() {
        WindbgImport imp = read("x64-one-process.txt");
        assertTrue(imp.problems().isEmpty(), imp.problems().toString());
        assertEquals(new TargetInfo(0x1a2c, "leaky-service.exe"), imp.target());
        HandleListing l = imp.handleListing();
        assertEquals(0x1a2c, l.pid());
        assertEquals(234, l.total());
        assertEquals(List.of(), l.processes());
        assertEquals(Map.of("Event", 1, "Section", 1), l.types());
        HandleEntry event = l.handles().get(0);
        assertEquals(new HandleEntry(0x4, "Event", null, 0x1f0003L, null, 1L, 32768L,
                Map.of("Object", "ffffd30b3215a0e0", "Flags", "Audit", "Entry", "ffff9a8c46d7b010",
                        "ObjectHeader", "ffffd30b3215a0b0")), event);
        assertEquals("Inherit", l.handles().get(1).details().get("Flags"));
    }

    @Test
    void x86WithoutPromptIsRecognizedByItsContent() {
        WindbgImport imp = read("x86-one-process-no-prompt.txt");
        assertTrue(imp.problems().isEmpty(), imp.problems().toString());
        HandleListing l = imp.handleListing();
        assertEquals(0xc28, l.pid());
        assertEquals(41, l.total());
        assertEquals(List.of(0x4L, 0x8L, 0xcL), l.handles().stream().map(HandleEntry::handle).toList());
        HandleEntry key = l.handles().get(1);
        assertEquals("Key", key.type());
        assertEquals("\\REGISTRY\\MACHINE\\SOFTWARE\\LEAKY", key.name());
        assertEquals(0x20019L, key.grantedAccess());
        assertEquals("9c41a8b8", key.details().get("Object"));
        assertEquals("\\Users\\svc\\AppData\\Local\\Temp\\leak.log {HarddiskVolume2}", l.handles().get(2).name());
    }

    @Test
    void manyProcessesGiveAListingByProcessWithoutTheOnesShowingNoHandles() {
        WindbgImport imp = read("x64-two-processes-section.txt");
        assertTrue(imp.problems().isEmpty(), imp.problems().toString());
        assertEquals(TargetInfo.UNKNOWN, imp.target(), "no one process is the target");
        HandleListing l = imp.handleListing();
        assertNull(l.pid());
        assertEquals(List.of(4, 0x1a2c), l.processes().stream().map(ProcessHandles::pid).toList(), "quiet.exe shows no Section");
        assertEquals(List.of("System", "leaky-service.exe"), l.processes().stream().map(ProcessHandles::image).toList());
        // The command named a type: kd's "entries in use" count every type, so the totals are the handles shown.
        assertEquals(List.of(1, 2), l.processes().stream().map(ProcessHandles::total).toList());
        assertEquals(3, l.total());
        assertEquals(Map.of("Section", 3), l.types());
        HandleEntry both = l.processes().get(1).handles().get(1);
        assertEquals(0x44, both.handle());
        assertEquals("Protected, Inherit", both.details().get("Flags"));
        assertEquals("LeakySharedMemory", both.name());
        assertEquals(2L, both.handleCount());
        assertEquals(65537L, both.pointerCount());
    }

    @Test
    void manyProcessesWithoutPromptKeepEachProcessTotalAndTheSameHandleValueApart() {
        String text = """
                PROCESS 86c4d030  SessionId: 0  Cid: 0c28    Peb: 7ffd9000  ParentCid: 0a10
                    DirBase: 3f2c0360  ObjectTable: 9b8a2e08  HandleCount:  41.
                    Image: leaky32.exe

                Handle table at 9b801000 with 41 entries in use

                0004: Object: 8a2e1c40  GrantedAccess: 001f0003 Entry: 9b801008
                Object: 8a2e1c40  Type: (84ee7b70) Event
                    ObjectHeader: 8a2e1c28 (new version)
                        HandleCount: 1  PointerCount: 1

                PROCESS 86d2e8a8  SessionId: 0  Cid: 0d3c    Peb: 7ffdf000  ParentCid: 0a10
                    DirBase: 3f2c0400  ObjectTable: 9c1f4a10  HandleCount:  17.
                    Image: other32.exe

                Handle table at 9c1f5000 with 17 entries in use

                0004: Object: 8a40b2f0  GrantedAccess: 00100020 (Inherit) Entry: 9c1f5008
                Object: 8a40b2f0  Type: (84ef0f78) File
                    ObjectHeader: 8a40b2d8 (new version)
                        HandleCount: 1  PointerCount: 1
                        Directory Object: 00000000  Name: \\Windows {HarddiskVolume2}
                """;
        WindbgLog log = new WindbgLogParser().parse("x86-many", text);
        assertTrue(log.problems().isEmpty(), log.problems().toString());
        WindbgImport imp = WindbgImport.of(List.of(log), new WindbgLogParser().stacks());
        HandleListing l = imp.handleListing();
        assertEquals(58, l.total(), "41 + 17 entries in use");
        assertEquals(List.of(0xc28, 0xd3c), l.processes().stream().map(ProcessHandles::pid).toList());
        assertEquals("Event", l.processes().get(0).handles().get(0).type());
        assertEquals("File", l.processes().get(1).handles().get(0).type(), "handle 4 of each process stays its own");
        assertEquals(List.of(41, 17), l.processes().stream().map(ProcessHandles::total).toList());

        HandleListing files = l.ofType("file");
        assertEquals(List.of(0xd3c), files.processes().stream().map(ProcessHandles::pid).toList(), "only the process with a File");
        assertEquals(1, files.total(), "the handles kept, not the entries in use");
        assertEquals(Map.of("File", 1), files.types());
    }

    @Test
    void jsonAndTextNameProcessObjectAndCounts() throws Exception {
        HandleListing l = read("x64-two-processes-section.txt").handleListing();
        JsonNode json = ReportJson.mapper().readTree(ReportJson.write(ReportJson.tree(l)));
        assertTrue(json.get("pid").isNull());
        assertEquals(3, json.get("handles").size());
        JsonNode h = json.at("/handles/2");
        assertEquals(0x1a2c, h.get("pid").asInt());
        assertEquals("leaky-service.exe", h.get("process").asText());
        assertEquals("0x44", h.get("handle").asText());
        assertEquals("0xffff9a8c4212f810", h.get("object").asText());
        assertEquals("Section", h.get("type").asText());
        assertEquals("0xf0007", h.get("grantedAccess").asText());
        assertEquals(2, h.get("handleCount").asInt());
        assertEquals(65537, h.get("pointerCount").asInt());

        String text = LeakReportText.render(l);
        assertTrue(text.contains("PROCESS leaky-service.exe  Cid: 0x1a2c (6700)  2 Handles"), text);
        assertTrue(text.matches("(?s).*0x44\\s+Section\\s+0xf0007\\s+0xffff9a8c4212f810\\s+2/65537\\s+LeakySharedMemory.*"), text);
    }

    @Test
    void aFourthArgumentMarksTheKernelTypeFilter() {
        assertTrue(WindbgLogParser.kernelTypeFiltered("0 3 0 Section"));
        assertTrue(!WindbgLogParser.kernelTypeFiltered("0 f File"), "user mode: the type is the third argument");
        assertTrue(!WindbgLogParser.kernelTypeFiltered(null));
    }
}
