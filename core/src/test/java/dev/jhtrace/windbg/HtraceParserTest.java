package dev.jhtrace.windbg;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtraceParserTest {

    private static HtraceOutput only(WindbgLog log) {
        assertEquals(1, log.outputs().size(), log.outputs().toString());
        return assertInstanceOf(HtraceOutput.class, log.outputs().get(0).content());
    }

    private static StackFrame frame(long address, String module, String function, long offset) {
        return new StackFrame(address, module, function, offset, null, null);
    }

    @Test
    void enableStatus() {
        WindbgLog log = Fixtures.parse("001");
        HtraceOutput h = only(log);
        assertEquals("0:000", log.outputs().get(0).prompt());
        assertEquals("!htrace -enable", log.outputs().get(0).command());
        assertEquals(HtraceCommand.ENABLE, h.command());
        assertEquals(List.of(WindbgWriter.TRACING_ENABLED, WindbgWriter.SNAPSHOT_TAKEN), h.messages());
        assertTrue(h.events().isEmpty());
    }

    @Test
    void fullListingIsReversedIntoOldestFirstAndKeepsDebuggerNoiseOutOfStacks() {
        HtraceOutput h = only(Fixtures.parse("002"));
        assertEquals(HtraceCommand.LISTING, h.command());
        assertEquals(HtraceLayout.USER_32, h.layout());
        List<TraceEvent> ev = h.events();
        assertEquals(List.of(0x20L, 0x24L, 0x34L, 0x34L, 0x38L, 0x3cL), ev.stream().map(TraceEvent::handle).toList());
        assertEquals(List.of(EventKind.OPEN, EventKind.OPEN, EventKind.OPEN, EventKind.CLOSE, EventKind.OPEN, EventKind.OPEN),
                ev.stream().map(TraceEvent::kind).toList());
        for (int i = 0; i < ev.size(); i++) assertEquals(i, ev.get(i).order());
        TraceEvent newest = ev.get(5);
        assertEquals(0x17e8, newest.pid());
        assertEquals(0x17ec, newest.tid());
        assertEquals(TraceEvent.NO_TIME, newest.epochNanos());
        assertEquals(10, newest.stack().depth());
        assertEquals(frame(0x77ca310cL, "ntdll", "ZwDuplicateObject", 0xc), newest.stack().frame(0));
        assertEquals(frame(0x00ab1627L, "CppResourceLeaks", "LeakFileHandle", 0x207), newest.stack().frame(3));
        assertEquals(List.of("*** WARNING: Unable to verify checksum for CppResourceLeaks.exe"), h.notes());
        assertEquals(StackTrace.EMPTY, ev.get(0).stack()); // stack elided by the author
        assertEquals(4, h.elisions());
        assertEquals(0xcL, h.parsed());
        assertEquals(0xcL, h.dumped());
        assertEquals(List.of(0x20L, 0x24L, 0x38L, 0x3cL), h.outstanding().stream().map(TraceEvent::handle).toList());
    }

    @Test
    void diffWithElidedStacksAndHardWrappedFooter() {
        WindbgLog log = Fixtures.parse("003");
        HtraceOutput h = only(log);
        assertEquals(HtraceCommand.DIFF, h.command());
        assertEquals(List.of(WindbgWriter.SNAPSHOT_TAKEN), h.messages());
        assertEquals(0xd9L, h.newTraces());
        assertTrue(h.ignoringClosed());
        assertTrue(h.diffHeader());
        assertEquals(4L, h.displayed());
        assertEquals(List.of(0x20L, 0x24L, 0x38L, 0x3cL), h.events().stream().map(TraceEvent::handle).toList());
        assertEquals(2, h.elisions());
        assertTrue(log.problems().isEmpty());
    }

    @Test
    void identicalStacksAreInternedAcrossLogsOfOneParser() {
        WindbgLogParser parser = new WindbgLogParser();
        HtraceOutput listing = only(parser.parse(Fixtures.windbg("002")));
        HtraceOutput diff = only(parser.parse(Fixtures.windbg("003")));
        assertSame(listing.events().get(5).stack(), diff.events().get(3).stack());
    }

    @Test
    void upperCaseHexFragmentWithoutCommand() {
        WindbgLog log = Fixtures.parse("005");
        assertNull(log.outputs().get(0).command());
        HtraceOutput h = only(log);
        TraceEvent e = h.events().get(0);
        assertEquals(0x7d8, e.handle());
        assertEquals(0xd30, e.pid());
        assertEquals(0x1700, e.tid());
        assertEquals(List.of(frame(0x01001363L, "09htarget", "XcptFilter", 9),
                frame(0x010014d3L, "09htarget", "_NULL_IMPORT_DESCRIPTOR", 0xcb),
                frame(0x7c816fd7L, "kernel32", "BaseProcessStart", 0x23)), e.stack().frames());
    }

    @Test
    void markdownQuotedWow64DiffWithUnresolvedFrames() {
        WindbgLog log = Fixtures.parse("007");
        assertEquals("0:001", log.outputs().get(0).prompt());
        assertEquals("!htrace -diff", log.outputs().get(0).command());
        HtraceOutput h = only(log);
        assertEquals(0x17L, h.newTraces());
        assertEquals(0x17L, h.displayed());
        assertEquals(1, h.elisions());
        TraceEvent e = h.events().get(0);
        assertEquals(0x244, e.handle());
        assertEquals(0x51c0, e.pid());
        assertEquals(16, e.stack().depth());
        assertEquals(StackFrame.unresolved(0x5e1c8322L), e.stack().frame(0));
        assertEquals(StackFrame.unresolved(0x8fc917feL), e.stack().frame(13));
        assertEquals(frame(0x7772300cL, "ntdll", "NtOpenThread", 0xc), e.stack().frame(14));
        assertEquals(frame(0x7570f208L, "KERNELBASE", "OpenThread", 0x48), e.stack().frame(15));
    }

    @Test
    void cServerGetTokenDiffWithTrailingSpacesAndNoBlankLines() {
        HtraceOutput h = only(Fixtures.parse("009"));
        assertEquals(HtraceCommand.DIFF, h.command());
        assertEquals(0xfaL, h.newTraces());
        assertNull(h.displayed()); // cut by the author
        List<TraceEvent> ev = h.events();
        assertEquals(List.of(0x5b4L, 0x5b0L), ev.stream().map(TraceEvent::handle).toList());
        assertEquals(List.of(0xc34, 0x7f4), ev.stream().map(TraceEvent::tid).toList());
        assertEquals(0x13f0, ev.get(0).pid());
        StackTrace expected = new StackTrace(List.of(
                frame(0x00401657L, "test1", "CServer::GetToken", 0x47),
                frame(0x0040136fL, "test1", "CServer::GetSID", 0x1f),
                frame(0x004010deL, "test1", "ThreadWorker", 0x7e),
                frame(0x7c80b729L, "kernel32", "BaseThreadStart", 0x37)));
        assertEquals(expected, ev.get(0).stack());
        assertSame(ev.get(0).stack(), ev.get(1).stack());
    }

    @Test
    void usageText() {
        HtraceOutput h = only(Fixtures.parse("010"));
        assertEquals(HtraceCommand.USAGE, h.command());
        assertEquals(5, h.usage().size());
        assertEquals("!htrace [handle [max_traces]]", h.usage().get(0));
    }

    @Test
    void enableThenSnapshotAreTwoOutputs() {
        WindbgLog log = Fixtures.parse("011");
        assertEquals(2, log.outputs().size());
        HtraceOutput enable = assertInstanceOf(HtraceOutput.class, log.outputs().get(0).content());
        HtraceOutput snap = assertInstanceOf(HtraceOutput.class, log.outputs().get(1).content());
        assertEquals(HtraceCommand.ENABLE, enable.command());
        assertEquals(HtraceCommand.SNAPSHOT, snap.command());
        assertEquals(List.of(WindbgWriter.SNAPSHOT_TAKEN), snap.messages());
        assertEquals("0:027", log.outputs().get(1).prompt());
        assertEquals(8, log.outputs().get(1).line());
    }

    @Test
    void eachOutputIsAttributedToItsCommand() {
        WindbgLog log = Fixtures.parse("013");
        assertEquals(List.of("0:016", "0:002", "0:001"), log.outputs().stream().map(CommandOutput::prompt).toList());
        assertEquals(List.of("!htrace -enable", "g", "!htrace -diff"), log.outputs().stream().map(CommandOutput::command).toList());
        OtherOutput g = assertInstanceOf(OtherOutput.class, log.outputs().get(1).content());
        assertEquals("(6c4.9b4): Break instruction exception - code 80000003 (first chance)", g.lines().get(0));
        assertEquals(6, g.lines().size());
        HtraceOutput diff = assertInstanceOf(HtraceOutput.class, log.outputs().get(2).content());
        assertEquals(0x4219L, diff.newTraces());
        TraceEvent e = diff.events().get(0);
        assertEquals(0x3ac, e.handle());
        assertEquals(5, e.stack().depth());
        assertEquals(frame(0x68ab319dL, "libwinpthread_1", "pthread_mutex_lock", 0x11d), e.stack().frame(3));
    }

    @Test
    void zeroOffsetFrame() {
        HtraceOutput h = only(Fixtures.parse("014"));
        TraceEvent e = h.events().get(0);
        assertEquals(13, e.stack().depth());
        assertEquals(frame(0x00403069L, "wazuh_agent", "SendMSG", 0), e.stack().frame(12));
    }

    @Test
    void verifierStopThenSingleHandleX64() {
        WindbgLog log = Fixtures.parse("015");
        assertEquals(2, log.outputs().size());
        OtherOutput stop = assertInstanceOf(OtherOutput.class, log.outputs().get(0).content());
        assertTrue(stop.lines().contains("*** WARNING: Unable to verify checksum for UIforETW_devrel.exe"));
        assertEquals("!htrace 0000000000000808", log.outputs().get(1).command());
        HtraceOutput h = assertInstanceOf(HtraceOutput.class, log.outputs().get(1).content());
        assertEquals(HtraceCommand.LISTING, h.command());
        assertEquals(HtraceLayout.USER_64, h.layout());
        assertEquals(0x808, h.events().get(0).handle());
        assertEquals(0x68d4, h.events().get(0).tid());
    }

    @Test
    void entriesStartAtHandleLinesWhenSeparatorsAreLost() {
        HtraceOutput h = only(Fixtures.parse("017"));
        assertEquals(HtraceLayout.USER_64, h.layout());
        assertEquals(List.of(0x32fcL, 0x3300L), h.events().stream().map(TraceEvent::handle).toList());
        assertEquals(11, h.events().get(1).stack().depth());
        assertEquals(3, h.events().get(0).stack().depth());
        assertEquals(frame(0x000007fedaf3db8aL, "clr", "ClrCreateManagedInstance", 0), h.events().get(0).stack().frame(2));
        assertEquals(0x414c, h.events().get(0).pid());
    }

    @Test
    void kernelListingWithBadReference() {
        HtraceOutput h = only(Fixtures.parse("020"));
        assertEquals(HtraceLayout.KERNEL, h.layout());
        assertEquals(0x81400300L, h.process());
        assertEquals(0xE10CCF60L, h.objectTable());
        assertEquals(List.of(0x7dcL, 0x7dcL, 0x7dcL, 0x7ccL, 0x7ccL), h.events().stream().map(TraceEvent::handle).toList());
        assertEquals(List.of(EventKind.OPEN, EventKind.CLOSE, EventKind.BADREF, EventKind.OPEN, EventKind.CLOSE),
                h.events().stream().map(TraceEvent::kind).toList());
        TraceEvent bad = h.events(EventKind.BADREF).get(0);
        assertEquals(0, bad.pid());
        assertEquals(frame(0x8018F709L, "ntoskrnl", "ExMapHandleToPointerEx", 0xea), bad.stack().frame(0));
        assertEquals(frame(0x77DE0B2FL, "KERNEL32", "BaseProcessStart", 0x3d), bad.stack().frame(5));
        assertEquals(6L, h.parsed());
        assertEquals(5L, h.dumped());
        assertTrue(h.outstanding().isEmpty());
    }

    @Test
    void markdownHeadingDamageParsesToTheSameEntriesAsTheCleanCopy() {
        HtraceOutput damaged = only(Fixtures.parse("018"));
        HtraceOutput clean = only(Fixtures.parse("020"));
        assertEquals(clean, damaged);
    }

    @Test
    void kernelSingleHandleWithExtensionNotice() {
        HtraceOutput h = only(Fixtures.parse("019"));
        assertEquals(List.of("Loaded \\\\...\\kdexts extension DLL"), h.notes());
        assertEquals(0x815328B0L, h.process());
        assertEquals(List.of(EventKind.OPEN, EventKind.CLOSE), h.events().stream().map(TraceEvent::kind).toList());
        assertEquals(0x1caL, h.parsed());
        assertEquals(2L, h.dumped());
    }

    @Test
    void managedFramesWithSpacesAndAngleBrackets() {
        HtraceOutput h = only(Fixtures.parse("042"));
        TraceEvent e = h.events().get(0);
        assertEquals(0x2ea84, e.handle());
        assertEquals(frame(0x00007ff8c0b998bbL, "winhttp", "INTERNET_SESSION_HANDLE_OBJECT::LoadAutomaticProxyResolvers", 0x19b),
                e.stack().frame(6));
        assertEquals(frame(0x00007ff841eeccbdL, "System_Net_Http",
                "DomainBoundILStubClass.IL_STUB_PInvoke(IntPtr, UInt32, System.String, System.String, Int32)", 0x10d), e.stack().frame(10));
        assertEquals(frame(0x00007ff841eebba1L, "System_Net_Http",
                "System.Net.Http.WinHttpHandler+<StartRequest>d__1.MoveNext()", 0), e.stack().frame(12));
    }

    @Test
    void frameForms() {
        assertEquals(new StackFrame(0x1000, "mod", null, 0x20L, null, null), FrameParser.parse("0x00001000: mod+0x20"));
        assertEquals(new StackFrame(0x1000, null, "f", 0x20L, null, null), FrameParser.parse("0x00001000: !f+0x20"));
        assertEquals(new StackFrame(0x1000, "m", "f", null, null, null), FrameParser.parse("0x00001000: m!f"));
        assertEquals(StackFrame.unresolved(0x1000), FrameParser.parse("0x00001000:"));
        assertEquals(new StackFrame(0x00007ffa026d2190L, "m", "a<b>::`c'", 1L, null, null),
                FrameParser.parse("0x00007ffa`026d2190: m!a<b>::`c'+0x1"));
        assertNull(FrameParser.parse("0x1234567890abcdef01: m!f"));
    }

    @Test
    void unknownLinesInsideHtraceOutputAreProblemsWithLineNumbers() {
        String text = "0:000> !htrace -diff\n" + WindbgWriter.SNAPSHOT_TAKEN + "\nsomething odd\n"
                + "0x00401657: test1!f+0x1\n";
        WindbgLog log = new WindbgLogParser().parse("t.log", text);
        assertEquals(List.of("t.log:3: unrecognized !htrace line: something odd", "t.log:4: stack frame outside an entry: 0x00401657: test1!f+0x1"),
                log.problems().stream().map(ParseProblem::toString).toList());
    }

    @Test
    void symbolBannersAndUnwindWarningsInsideAStackAreNotesNotFrames() {
        String stars = "*".repeat(73);
        String text = "0:000> !htrace 3c\n--------------------------------------\nHandle = 0x0000003c - OPEN\n"
                + "Thread ID = 0x000017ec, Process ID = 0x000017e8\n\n0x77ca310c: ntdll!ZwDuplicateObject+0x0000000c\n"
                + stars + "\n***    Either you specified an unqualified symbol, or your debugger   ***\n" + stars + "\n"
                + "WARNING: Stack unwind information not available. Following frames may be wrong.\n"
                + "0x00ab1627: CppResourceLeaks+0x00001627\n--------------------------------------\n";
        WindbgLog log = new WindbgLogParser().parse("banner.log", text);
        HtraceOutput h = only(log);
        assertTrue(log.problems().isEmpty(), log.problems().toString());
        assertEquals(0, h.elisions());
        assertEquals(4, h.notes().size());
        assertEquals(List.of(frame(0x77ca310cL, "ntdll", "ZwDuplicateObject", 0xc),
                new StackFrame(0x00ab1627L, "CppResourceLeaks", null, 0x1627L, null, null)), h.events().get(0).stack().frames());
    }

    @Test
    void partlyQuotedPostKeepsProseApartAndReadsTheQuotedTranscript() {
        String text = "We enabled tracing first:\n\n> 0:000> **!htrace -enable**\n> Handle tracing enabled.\n"
                + ">> " + WindbgWriter.SNAPSHOT_TAKEN + "\n";
        WindbgLog log = new WindbgLogParser().parse("post.md", text);
        assertEquals(2, log.outputs().size());
        assertEquals(List.of("We enabled tracing first:"), assertInstanceOf(OtherOutput.class, log.outputs().get(0).content()).lines());
        HtraceOutput h = assertInstanceOf(HtraceOutput.class, log.outputs().get(1).content());
        assertEquals("!htrace -enable", log.outputs().get(1).command());
        assertEquals(List.of(WindbgWriter.TRACING_ENABLED, WindbgWriter.SNAPSHOT_TAKEN), h.messages());
        assertTrue(log.problems().isEmpty());
    }

    @Test
    void crlfAndUtf8BomAndCommandAliases() {
        String text = "\r\n0:000:x86> !ext.htrace -enable\r\nHandle tracing enabled.\r\n";
        WindbgLog log = new WindbgLogParser().parse("x.log", text);
        assertEquals("0:000:x86", log.outputs().get(0).prompt());
        assertEquals(HtraceCommand.ENABLE, only(log).command());
    }
}
