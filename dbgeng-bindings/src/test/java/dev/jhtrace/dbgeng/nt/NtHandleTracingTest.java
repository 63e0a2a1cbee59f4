package dev.jhtrace.dbgeng.nt;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceRetention;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class NtHandleTracingTest {
    private static final long KERNEL = 0xFFFFF803_00001000L;
    private static final long USER1 = 0x00007FF6_00001000L;
    private static final long USER2 = 0x00007FF6_00002000L;

    private final SimulatedKernel k = new SimulatedKernel();

    NtHandleTracingTest() {
        assertTrue(DebugPrivilege.enable(k.natives()).enabled(), "as the engine does before opening any target");
    }

    private NtHandleTracing tracing(boolean consent, NtHandleTracing.OnClose onClose) {
        return new NtHandleTracing(new KernelTraceRing(k.ntdll, k.layout, SimulatedKernel.PROCESS), k.layout, consent, 0, () -> true, onClose);
    }

    @Test
    void enablingWithoutConsentIsRefusedWithTheWarning() {
        NtHandleTracing t = tracing(false, NtHandleTracing.OnClose.LEAVE_ON);
        JhtraceException e = assertThrows(JhtraceException.class, () -> t.enable(TraceOptions.DEFAULT));
        assertEquals(Failure.BAD_INPUT, e.failure());
        assertTrue(e.getMessage().contains("STATUS_INVALID_HANDLE"), e.getMessage());
        assertTrue(e.getMessage().contains("--accept-invalid-handle-exceptions"), e.getMessage());
        assertFalse(k.tracing());
    }

    @Test
    void anExistingTraceIsAdoptedNeverReEnabled() {
        // WinDbg (or AppVerifier) enabled tracing earlier, and the target already did things
        new KernelTraceRing(k.ntdll, k.layout, SimulatedKernel.PROCESS).enable(0);
        long before = k.open("Event", 0x1F0003, USER1);
        int enables = k.enableCalls;
        NtHandleTracing t = tracing(false, NtHandleTracing.OnClose.DISABLE_IF_OURS); // no consent needed to adopt
        assertTrue(t.isEnabled());
        t.enable(TraceOptions.DEFAULT);
        assertEquals(enables, k.enableCalls, "re-enabling would wipe the trace");
        assertFalse(t.enabledByUs());
        TraceLog log = t.log();
        assertEquals(1, log.size());
        assertEquals(before, log.events().get(0).handle());
        t.close();
        assertTrue(k.tracing(), "an adopted trace is left on");
    }

    @Test
    void anAdoptedTraceIsFollowedInTheBackgroundOnceRead() throws Exception {
        new KernelTraceRing(k.ntdll, k.layout, SimulatedKernel.PROCESS).enable(128);
        NtHandleTracing t = new NtHandleTracing(new KernelTraceRing(k.ntdll, k.layout, SimulatedKernel.PROCESS), k.layout, false, 5,
                () -> true, NtHandleTracing.OnClose.LEAVE_ON);
        assertEquals(0, t.log().size()); // HtraceSession adopts without calling enable(): the first read starts the poller
        int queries = k.traceQueries;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (k.traceQueries < queries + 2 && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(k.traceQueries >= queries + 2, "background reads happen");
        t.close();
    }

    @Test
    void lastOrderReadsWhatIsNewWithoutTheLog() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(new TraceOptions(16, 128));
        assertEquals(dev.jhtrace.model.Snapshot.BEFORE_FIRST_EVENT, t.lastOrder());
        long h = k.open("File", 0x120089, USER1);
        k.close(h, USER2);
        assertEquals(t.log().events().get(1).order(), t.lastOrder());
        assertEquals(2, t.eventCount());
    }

    @Test
    void eventsComeOldestFirstWithUserFramesOnly() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(new TraceOptions(16, 128));
        long h = k.open("File", 0x120089, KERNEL, KERNEL + 8, USER1, USER2);
        k.close(h, KERNEL, USER2);
        TraceLog log = t.log();
        assertEquals(2, log.size());
        TraceEvent open = log.events().get(0);
        assertEquals(EventKind.OPEN, open.kind());
        assertEquals(0, open.order());
        assertEquals(TraceEvent.NO_TIME, open.epochNanos());
        assertEquals(SimulatedKernel.PID, open.pid());
        assertEquals(2, open.stack().depth(), "kernel frames dropped");
        assertEquals(USER1, open.stack().frame(0).address());
        assertEquals(EventKind.CLOSE, log.events().get(1).kind());
        assertEquals(1, log.events().get(1).order());
        assertFalse(log.wrapped());
        assertEquals(0L, log.lostEvents());
    }

    @Test
    void stackDepthOptionCutsUserFrames() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(new TraceOptions(1, 0));
        k.open("Key", 0x20019, KERNEL, USER1, USER2);
        assertEquals(1, t.log().events().get(0).stack().depth());
    }

    @Test
    void frequentReadsFollowTheRingAcrossWraps() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(new TraceOptions(16, 128));
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 50; i++) k.close(k.open("Event", 0x1F0003, USER1 + i), USER2);
            t.log();
        }
        TraceLog log = t.log();
        assertEquals(1000, log.size(), "10 rounds of 50 open+close, 1000 events through a 128-slot ring, each read before it wrapped past the last");
        assertFalse(log.wrapped());
        assertEquals(0L, log.lostEvents());
        for (int i = 0; i < log.size(); i++) assertEquals(i, log.events().get(i).order());
    }

    @Test
    void readingTooRarelyReportsTheLoss() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(new TraceOptions(16, 128));
        for (int i = 0; i < 20; i++) k.open("Event", 0x1F0003, USER1 + i);
        assertEquals(20, t.log().size());
        for (int i = 0; i < 300; i++) k.open("Event", 0x1F0003, USER2 + i);
        TraceLog log = t.log();
        assertTrue(log.wrapped());
        assertNull(log.lostEvents(), "how many were lost cannot be known");
        assertEquals(1, t.gaps());
        assertEquals(20 + 128, log.size());
        long first = log.events().get(20).stack().frame(0).address();
        assertEquals(USER2 + 300 - 128, first, "the oldest entry still in the ring follows the gap");
    }

    @Test
    void disableKeepsTheCapturedEventsReadable() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(TraceOptions.DEFAULT);
        k.open("Token", 0x8, USER1);
        t.disable();
        assertFalse(k.tracing());
        assertEquals(1, t.log().size());
        verify(k.ntdll).NtSetInformationProcess(eq(SimulatedKernel.PROCESS), eq(NtConstants.PROCESS_HANDLE_TRACING), any(), eq(0));
    }

    @Test
    void closeLeavesOurTraceOnByDefaultAndCanDisableIt() {
        NtHandleTracing leave = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        leave.enable(TraceOptions.DEFAULT);
        leave.close();
        assertTrue(k.tracing());
        k.exit();
        SimulatedKernel k2 = new SimulatedKernel();
        NtHandleTracing disable = new NtHandleTracing(new KernelTraceRing(k2.ntdll, k2.layout, SimulatedKernel.PROCESS), k2.layout, true, 0,
                () -> true, NtHandleTracing.OnClose.DISABLE_IF_OURS);
        disable.enable(TraceOptions.DEFAULT);
        disable.close();
        disable.close(); // idempotent
        assertFalse(k2.tracing());
    }

    @Test
    void badSlotsAreRejectedBeforeAnythingIsSet() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        JhtraceException e = assertThrows(JhtraceException.class, () -> t.enable(new TraceOptions(16, 300)));
        assertEquals(Failure.BAD_INPUT, e.failure());
        verify(k.ntdll, never()).NtSetInformationProcess(any(), anyInt(), any(), anyInt());
    }

    @Test
    void backgroundPollingCapturesEventsBeforeTheTargetExits() throws Exception {
        boolean[] alive = {true};
        NtHandleTracing t = new NtHandleTracing(new KernelTraceRing(k.ntdll, k.layout, SimulatedKernel.PROCESS), k.layout, true, 5,
                () -> alive[0], NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(TraceOptions.DEFAULT);
        k.open("File", 0x120089, USER1);
        int queries = k.traceQueries;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (k.traceQueries < queries + 3 && System.nanoTime() < deadline) Thread.sleep(5);
        synchronized (t) {
            alive[0] = false;
            k.exit(); // the ring goes with the process: reads now fail
        }
        TraceLog log = t.log();
        assertEquals(1, log.size(), "the poller read the open before the exit; the failed read after it is not an error");
        t.close();
    }

    @Test
    void aReadWithEveryStackEmptyIsReportedOnce() {
        SimulatedKernel unprivileged = new SimulatedKernel(); // Windows 11 24H2 and SeDebugPrivilege never enabled
        List<String> warnings = new ArrayList<>();
        NtHandleTracing t = new NtHandleTracing(new KernelTraceRing(unprivileged.ntdll, unprivileged.layout, SimulatedKernel.PROCESS),
                unprivileged.layout, true, 0, () -> true, NtHandleTracing.OnClose.LEAVE_ON, warnings::add, SimulatedKernel.PID);
        t.enable(new TraceOptions(16, 128));
        for (int i = 0; i < 3; i++) unprivileged.open("Event", 0x1F0003, KERNEL, USER1);
        assertEquals(0, t.log().events().get(0).stack().depth(), "the kernel zeroed every slot");
        unprivileged.open("Event", 0x1F0003, KERNEL, USER1);
        t.log();
        assertEquals(List.of(NtHandleTracing.EMPTY_STACKS_WARNING + " (3 entries read)"), warnings, "said once");
    }

    @Test
    void stacksThatArriveAreNotWarnedAbout() {
        List<String> warnings = new ArrayList<>();
        NtHandleTracing t = new NtHandleTracing(new KernelTraceRing(k.ntdll, k.layout, SimulatedKernel.PROCESS), k.layout, true, 0,
                () -> true, NtHandleTracing.OnClose.LEAVE_ON, warnings::add, SimulatedKernel.PID);
        t.enable(new TraceOptions(16, 128));
        k.open("Event", 0x1F0003, KERNEL, USER1);
        assertEquals(1, t.log().events().get(0).stack().depth());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aFloodTrimmedByTheCaptureKeepsOnlyWhatIsNew() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(new TraceOptions(16, 4096));
        int rounds = 200, perRound = 1000;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < perRound / 2; i++) k.close(k.open("Event", 0x1F0003, USER1 + (i % 7)), USER2);
            TraceLog log = t.log();
            assertEquals(perRound, log.size(), "round " + round + ": only the events since the last record are held");
            assertEquals((long) round * perRound, log.events().get(0).order(), "orders go on across trims");
            assertEquals(perRound, t.discardThrough(log.lastOrder()));
            assertEquals(0, t.retainedEvents());
        }
        assertEquals((long) rounds * perRound, t.eventCount(), "every event counted, also those let go");
        assertEquals((long) rounds * perRound - 1, t.lastOrder());
        assertFalse(t.log().wrapped());
    }

    @Test
    void logCopiesOnlyWhenSomethingChanged() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(new TraceOptions(16, 4096));
        for (int i = 0; i < 1000; i++) k.open("Event", 0x1F0003, USER1);
        TraceLog first = t.log();
        assertSame(first.events(), t.log().events(), "no new events: the same list, not a copy of it");
        k.open("Event", 0x1F0003, USER2);
        assertEquals(1001, t.log().size());
    }

    @Test
    void untrimmedTheRetainedEventsAreBoundedAndTheDroppedOnesCounted() {
        NtHandleTracing t = new NtHandleTracing(new KernelTraceRing(k.ntdll, k.layout, SimulatedKernel.PROCESS), k.layout, true, 0,
                () -> true, NtHandleTracing.OnClose.LEAVE_ON, w -> { }, SimulatedKernel.PID, new TraceRetention(500));
        t.enable(new TraceOptions(16, 4096));
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 300; i++) k.open("Event", 0x1F0003, USER1 + i);
            t.log();
            assertEquals(Math.min(500, 300 * (round + 1)), t.retainedEvents(), "round " + round);
        }
        TraceLog log = t.log();
        assertEquals(500, log.size());
        assertTrue(log.wrapped());
        assertEquals(20 * 300 - 500L, log.lostEvents(), "a known number dropped, oldest first");
        assertEquals(20 * 300 - 1L, log.lastOrder(), "the newest are kept");
    }

    @Test
    void aRingThatFilledBeforeTheFirstReadIsAnUnknownLoss() {
        NtHandleTracing t = tracing(true, NtHandleTracing.OnClose.LEAVE_ON);
        t.enable(new TraceOptions(16, 128));
        for (int i = 0; i < 200; i++) k.open("Event", 0x1F0003, USER1 + i);
        TraceLog log = t.log();
        assertEquals(128, log.size());
        assertTrue(log.wrapped());
        assertNull(log.lostEvents(), "how many the ring overwrote cannot be known");
    }
}
