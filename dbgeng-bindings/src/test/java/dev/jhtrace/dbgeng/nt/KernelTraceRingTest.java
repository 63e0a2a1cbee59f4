package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Memory;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class KernelTraceRingTest {
    private final SimulatedKernel k = new SimulatedKernel();
    private final KernelTraceRing ring = new KernelTraceRing(k.ntdll, k.layout, SimulatedKernel.PROCESS);

    KernelTraceRingTest() {
        assertTrue(DebugPrivilege.enable(k.natives()).enabled(), "as the engine does before opening any target");
    }

    @Test
    void queryWhenTracingIsOffMeansNotEnabled() {
        assertFalse(ring.isEnabled());
        assertTrue(ring.read().isEmpty());
    }

    @Test
    void enableSendsEnableExWithZeroFlagsAndTheSlotCount() {
        ring.enable(256);
        assertTrue(k.tracing());
        verify(k.ntdll).NtSetInformationProcess(eq(SimulatedKernel.PROCESS), eq(NtConstants.PROCESS_HANDLE_TRACING),
                org.mockito.ArgumentMatchers.argThat(p -> p.getInt(0) == 0 && p.getInt(4) == 256), eq(8));
        assertTrue(ring.isEnabled());
    }

    @Test
    void disableIsAZeroLengthSet() {
        ring.enable(0);
        ring.disable();
        verify(k.ntdll).NtSetInformationProcess(eq(SimulatedKernel.PROCESS), eq(NtConstants.PROCESS_HANDLE_TRACING), isNull(), eq(0));
        assertFalse(k.tracing());
        ring.disable(); // already off: no error
    }

    @Test
    void badSlotCountsAreBadInput() {
        for (int bad : new int[]{1, 127, 129, 1000, 0x40000, -4}) {
            JhtraceException e = assertThrows(JhtraceException.class, () -> ring.enable(bad));
            assertEquals(Failure.BAD_INPUT, e.failure());
            assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        }
        verify(k.ntdll, never()).NtSetInformationProcess(any(), anyInt(), any(), anyInt());
        for (int good : new int[]{0, 128, 4096, 131072}) assertEquals(good, KernelTraceRing.checkSlots(good));
    }

    @Test
    void readsNewestFirstAndGrowsTheBufferOnLengthMismatch() {
        ring.enable(0x20000);
        for (int i = 0; i < 5000; i++) k.open("Event", 0x1F0003, 0x7FF6_0000_1000L + i, 0x7FF6_0000_2000L);
        List<RawTraceEntry> entries = ring.read().orElseThrow();
        assertEquals(5000, entries.size());
        assertEquals(0x7FF6_0000_1000L + 4999, entries.get(0).frame(0), "newest first");
        assertArrayEquals(new long[]{0x7FF6_0000_1000L, 0x7FF6_0000_2000L}, entries.get(4999).stack(), "trailing zero slots dropped");
        // the first guess (4096 + 16 entries) was too small, so at least two calls were made
        verify(k.ntdll, atLeast(2)).NtQueryInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_TRACING), any(), anyInt(), any());
    }

    @Test
    void aFullMaximumRingFilledBetweenReadsIsReadInOneRetry() {
        // ReturnLength is the bytes copied, not the bytes needed (SimulatedKernel models it): sizing the
        // retry from it would only double, and 8 doublings from a small ring never reach 131,072 slots
        ring.enable(KernelTraceRing.MAX_SLOTS);
        k.open("Event", 0x1F0003, 0x7FF6_0000_1000L);
        assertEquals(1, ring.read().orElseThrow().size()); // the next first guess is now small
        for (int i = 1; i < KernelTraceRing.MAX_SLOTS + 500; i++) k.open("Event", 0x1F0003, 0x7FF6_0000_1000L + i);
        int before = k.traceQueries;
        List<RawTraceEntry> entries = ring.read().orElseThrow();
        assertEquals(KernelTraceRing.MAX_SLOTS, entries.size(), "the whole ring");
        assertEquals(0x7FF6_0000_1000L + KernelTraceRing.MAX_SLOTS + 499, entries.get(0).frame(0), "newest first");
        assertEquals(2, k.traceQueries - before, "one short read, then one read sized from TotalTraces");
    }

    @Test
    void accessDeniedIsAPermissionError() {
        k.traceQueryStatus = NtStatus.STATUS_ACCESS_DENIED;
        JhtraceException e = assertThrows(JhtraceException.class, ring::read);
        assertEquals(Failure.PERMISSION_DENIED, e.failure());
        assertTrue(e.getMessage().contains("STATUS_ACCESS_DENIED (0xC0000022)"), e.getMessage());
    }

    @Test
    void aBufferThatNeverFitsFailsClearly() {
        when(k.ntdll.NtQueryInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_TRACING), any(), anyInt(), any()))
                .thenReturn(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
        JhtraceException e = assertThrows(JhtraceException.class, ring::read);
        assertEquals(Failure.OTHER, e.failure());
        assertTrue(e.getMessage().contains("STATUS_INFO_LENGTH_MISMATCH"), e.getMessage());
    }

    @Test
    void decodeNeverReadsPastTheBufferWhateverTotalTracesSays() {
        NtLayout l = NtLayout.X86;
        Memory m = new Memory(l.traceQuerySize(2));
        m.clear();
        m.setInt(l.traceQueryTotalTraces(), 1_000_000);
        for (int i = 0; i < 2; i++) {
            long base = l.traceQueryEntries() + (long) i * l.traceEntrySize();
            m.setInt(base + l.traceEntryHandle(), 0x10 + i);
            m.setInt(base + l.traceEntryProcessId(), 9);
            m.setInt(base + l.traceEntryThreadId(), 10);
            m.setInt(base + l.traceEntryType(), i == 0 ? 2 : 0); // the second slot is unused
            m.setInt(base + l.traceEntryStacks(), 0x8A000000); // kernel frame first
            m.setInt(base + l.traceEntryStacks() + 4, 0x00401000);
        }
        List<RawTraceEntry> entries = KernelTraceRing.decode(m, m.size(), l);
        assertEquals(1, entries.size());
        RawTraceEntry e = entries.get(0);
        assertEquals(0x10, e.handle());
        assertEquals(9, e.pid());
        assertEquals(10, e.tid());
        assertEquals(2, e.type());
        assertArrayEquals(new long[]{0x8A000000L, 0x00401000L}, e.stack());
    }
}
