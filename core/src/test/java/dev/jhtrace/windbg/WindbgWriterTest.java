package dev.jhtrace.windbg;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.report.HandleListing;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindbgWriterTest {

    static List<Path> fixtures() {
        return Fixtures.allWindbg();
    }

    /** Kernel-debugger !handle output is printed in the user-mode format, which has no place for free entries. */
    private static boolean kernelHandleTable(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith("045") || n.startsWith("046");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void parseRenderParseGivesTheSameModel(Path file) {
        WindbgLog first = new WindbgLogParser().parse(file);
        String text = WindbgWriter.render(first);
        WindbgLog second = new WindbgLogParser().parse(first.source(), text);
        assertEquals(List.of(), second.problems(), text);
        if (kernelHandleTable(file)) {
            HandleOutput a = assertInstanceOf(HandleOutput.class, first.outputs().get(0).content());
            HandleOutput b = assertInstanceOf(HandleOutput.class, second.outputs().get(0).content());
            assertEquals(a.handles(), b.handles());
            assertEquals(a.reportedTotal(), b.reportedTotal());
        } else {
            assertEquals(withoutLines(first), withoutLines(second), text);
        }
        // And rendering is stable: the second model prints exactly as the first.
        assertEquals(text, WindbgWriter.render(second));
    }

    /** The outputs without their source line numbers, which differ between a pasted log and its rendering. */
    private static List<CommandOutput> withoutLines(WindbgLog log) {
        return log.outputs().stream().map(o -> new CommandOutput(o.prompt(), o.command(), 0, o.content())).toList();
    }

    @Test
    void diffEntryPrintsExactlyAsWindbgDid() {
        assertEquals(Fixtures.body("014"), WindbgWriter.render(Fixtures.parse("014")));
    }

    @Test
    void handleListingAndSummaryPrintExactlyAsWindbgDid() {
        assertEquals(Fixtures.body("028"), WindbgWriter.render(Fixtures.parse("028")));
    }

    @Test
    void detailBlocksPrintExactlyAsWindbgDid() {
        assertEquals(Fixtures.body("040"), WindbgWriter.render(Fixtures.parse("040")));
        assertEquals(Fixtures.body("039"), WindbgWriter.render(Fixtures.parse("039")));
        assertEquals(Fixtures.body("035").replace("Object specific information", "Object Specific Information"),
                WindbgWriter.render(Fixtures.parse("035")));
    }

    @Test
    void kernelEntriesPrintInKernelLayout() {
        String text = WindbgWriter.render(Fixtures.parse("020"));
        assertTrue(text.contains("\nHandle 0x7DC - BAD REFERENCE:\n0x8018F709: ntoskrnl!ExMapHandleToPointerEx+0xEA\n"), text);
        assertTrue(text.startsWith("kd> !htrace 0 81400300\nProcess 0x81400300\nObjectTable 0xE10CCF60\n"), text);
        assertTrue(text.endsWith("Parsed 0x6 stack traces.\nDumped 0x5 stack traces.\n"), text);
    }

    @Test
    void importedDiffPrintsAsHtraceDiffAndReadsBack() {
        WindbgImport imp = WindbgImport.read(List.of(Fixtures.windbg("009")));
        Diff diff = imp.diff();
        String text = WindbgWriter.htraceDiff(diff);
        assertEquals("""
                Handle tracing information snapshot successfully taken.
                0xfa new stack traces since the previous snapshot.
                Ignoring handles that were already closed...
                Outstanding handles opened since the previous snapshot:
                --------------------------------------
                Handle = 0x000005b0 - OPEN
                Thread ID = 0x000007f4, Process ID = 0x000013f0

                0x00401657: test1!CServer::GetToken+0x00000047
                0x0040136f: test1!CServer::GetSID+0x0000001f
                0x004010de: test1!ThreadWorker+0x0000007e
                0x7c80b729: kernel32!BaseThreadStart+0x00000037
                --------------------------------------
                Handle = 0x000005b4 - OPEN
                Thread ID = 0x00000c34, Process ID = 0x000013f0

                0x00401657: test1!CServer::GetToken+0x00000047
                0x0040136f: test1!CServer::GetSID+0x0000001f
                0x004010de: test1!ThreadWorker+0x0000007e
                0x7c80b729: kernel32!BaseThreadStart+0x00000037
                --------------------------------------
                Displayed 0x2 stack traces for outstanding handles opened since the previous snapshot.
                """, text);
        WindbgLogParser p = new WindbgLogParser();
        WindbgImport again = WindbgImport.of(List.of(p.parse("again", "0:000> !htrace -diff\n" + text)), p.stacks());
        assertEquals(diff.outstanding().stream().map(OutstandingHandle::open).toList(),
                again.diff().outstanding().stream().map(OutstandingHandle::open).toList());
    }

    @Test
    void x64DiffUsesSixteenDigits() {
        String text = WindbgWriter.htraceDiff(WindbgImport.read(List.of(Fixtures.windbg("042"))).diff());
        assertTrue(text.contains("Handle = 0x000000000002ea84 - OPEN\nThread ID = 0x0000000000002d74, Process ID = 0x0000000000004528\n"), text);
        assertTrue(text.contains("\n0x00007ff8c74c225a: ntdll!ZwOpenKeyEx+0x000000000000000a\n"), text);
    }

    @Test
    void listingOfTraceEventsPrintsNewestFirst() {
        List<TraceEvent> events = Fixtures.parse("002").htraceOutputs().get(0).events();
        String text = WindbgWriter.htraceListing(events);
        assertTrue(text.indexOf("Handle = 0x0000003c - OPEN") < text.indexOf("Handle = 0x00000020 - OPEN"));
        assertTrue(text.endsWith("--------------------------------------\nParsed 0x6 stack traces.\nDumped 0x6 stack traces.\n"), text);
        HtraceOutput back = new WindbgLogParser().parse("x", text).htraceOutputs().get(0);
        assertEquals(events, back.events());
    }

    @Test
    void handleSummaryOfTheW3wpListing() {
        WindbgLogParser p = new WindbgLogParser();
        HandleListing l = WindbgImport.of(List.of(p.parse("w3wp", Fixtures.seedLines("001", 15, 34))), p.stacks()).handleListing();
        String text = WindbgWriter.handleSummary(l);
        assertTrue(text.startsWith("66316 Handles\nType           \tCount\nKey            \t65602\nEvent          \t339\n"), text);
        HandleOutput back = new WindbgLogParser().parse("x", text).handleOutputs().get(0);
        assertEquals(66316, back.reportedTotal());
        assertEquals(l.types(), back.typeCounts());
    }

    @Test
    void handleListingOfMergedHandlesReadsBack() {
        HandleListing l = WindbgImport.read(List.of(Fixtures.windbg("028"), Fixtures.windbg("029"))).handleListing();
        String text = WindbgWriter.handleListing(l);
        WindbgLogParser p = new WindbgLogParser();
        HandleListing back = WindbgImport.of(List.of(p.parse("x", text)), p.stacks()).handleListing();
        assertEquals(l, back);
    }
}
