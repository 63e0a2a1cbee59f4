package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Memory;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class KernelHandleTableTest {
    private final SimulatedKernel k = new SimulatedKernel();
    private final KernelHandleTable table = new KernelHandleTable(k.ntdll, k.layout, SimulatedKernel.PROCESS, SimulatedKernel.PID);

    @Test
    void listsTheProcessTableGrowingTheBuffer() {
        for (int i = 0; i < 1000; i++) k.open(i % 2 == 0 ? "Event" : "Key", 0x20019 + i, 0x1000);
        List<RawHandle> handles = table.read();
        assertEquals(1000, handles.size());
        RawHandle first = handles.get(0);
        assertEquals(0x4, first.handle());
        assertEquals(SimulatedKernel.TYPES.indexOf("Event") + 2, first.typeIndex());
        assertEquals(0x20019, first.grantedAccess());
        assertEquals(1, first.handleCount());
        assertEquals(32769, first.pointerCount());
        verify(k.ntdll, atLeast(2)).NtQueryInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_INFORMATION), any(), anyInt(), any());
        verify(k.ntdll, never()).NtQuerySystemInformation(anyInt(), any(), anyInt(), any());
    }

    @Test
    void fallsBackToTheSystemTableFilteredByPid() {
        k.handleClassStatus = NtStatus.STATUS_INVALID_INFO_CLASS; // Windows 7 has no class 51
        long a = k.open("File", 0x120089, 0x1000);
        long b = k.open("Token", 0x8, 0x1000);
        List<RawHandle> handles = table.read();
        assertEquals(List.of(a, b), handles.stream().map(RawHandle::handle).toList());
        assertEquals(SimulatedKernel.TYPES.indexOf("Token") + 2, handles.get(1).typeIndex());
        assertEquals(-1, handles.get(0).handleCount(), "class 64 has no counts");
    }

    @Test
    void otherFailuresAreReadableErrors() {
        k.handleClassStatus = NtStatus.STATUS_ACCESS_DENIED;
        JhtraceException e = assertThrows(JhtraceException.class, table::read);
        assertEquals(Failure.PERMISSION_DENIED, e.failure());
        assertTrue(e.getMessage().startsWith("listing the handles of process 4242 failed with STATUS_ACCESS_DENIED (0xC0000022)"), e.getMessage());
    }

    @Test
    void garbageCountsNeverReadPastTheBuffer() {
        NtLayout l = NtLayout.X64;
        Memory m = new Memory(l.handleSnapshotEntries() + l.handleEntrySize());
        m.clear();
        m.setLong(l.handleSnapshotCount(), Long.MAX_VALUE); // Windows 10 "minimal" processes return garbage counts
        assertEquals(1, KernelHandleTable.decodeProcessTable(m, m.size(), l).size());
        m.setLong(l.systemHandlesCount(), -1);
        assertTrue(KernelHandleTable.decodeSystemTable(m, m.size(), l, 7).isEmpty());
    }
}
