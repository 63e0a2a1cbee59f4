package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.ptr.IntByReference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.lenient;
import static org.mockito.Mockito.mock;

/**
 * What Windows does behind the ntdll calls, for Mockito: one process with a handle table and a
 * handle-trace ring that behaves as the research brief describes (query newest first, TotalTraces
 * counts every entry, STATUS_INFO_LENGTH_MISMATCH when the buffer is short, STATUS_INVALID_PARAMETER
 * when tracing is off, re-enabling wipes the ring, a zero-length set disables). The mocks write
 * into the caller's buffer with the offsets of {@link NtLayout} (itself checked against the TSVs).
 */
public final class SimulatedKernel {
    public static final int PID = 4242;
    public static final HANDLE PROCESS = new HANDLE(Pointer.createConstant(0x1234));
    public static final List<String> TYPES = List.of("Type", "Directory", "File", "Event", "Key", "Token", "Mutant");

    public final NtLayout layout = NtLayout.X64;
    public final Ntdll ntdll = mock(Ntdll.class);
    public final Kernel32Api kernel32 = mock(Kernel32Api.class);
    private final Map<Long, long[]> handles = new LinkedHashMap<>(); // value -> {typeIndex, access}
    private final List<RawTraceEntry> ring = new ArrayList<>(); // oldest first, at most capacity
    private int capacity;
    private boolean tracing;
    private boolean alive = true;
    private long nextHandle = 0x4;
    public volatile int enableCalls;
    public volatile int traceQueries;
    public int openProcessError;
    public int handleClassStatus = NtStatus.STATUS_SUCCESS; // e.g. STATUS_INVALID_INFO_CLASS for Windows 7
    public int traceQueryStatus = NtStatus.STATUS_SUCCESS;   // forced failure of trace queries

    public SimulatedKernel() {
        lenient().when(kernel32.OpenProcess(anyInt(), anyBoolean(), anyInt())).thenAnswer(inv -> openProcessError != 0 ? null : PROCESS);
        lenient().when(kernel32.GetCurrentProcess()).thenReturn(new HANDLE(Pointer.createConstant(-1)));
        lenient().when(kernel32.GetExitCodeProcess(any(), any())).thenAnswer(inv -> {
            ((IntByReference) inv.getArgument(1)).setValue(alive ? NtConstants.STILL_ACTIVE : 0);
            return true;
        });
        lenient().when(kernel32.QueryFullProcessImageNameW(any(), anyInt(), any(), any())).thenAnswer(inv -> {
            char[] name = "C:\\apps\\leaky.exe".toCharArray();
            System.arraycopy(name, 0, inv.getArgument(2), 0, name.length);
            ((IntByReference) inv.getArgument(3)).setValue(name.length);
            return true;
        });
        lenient().when(kernel32.CloseHandle(any())).thenReturn(true);
        lenient().when(ntdll.NtSetInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_TRACING), any(), anyInt())).thenAnswer(inv -> set(inv.getArgument(2), inv.getArgument(3)));
        doAnswer(inv -> query(inv.getArgument(1), inv.getArgument(2), inv.getArgument(3), inv.getArgument(4)))
                .when(ntdll).NtQueryInformationProcess(any(), anyInt(), any(), anyInt(), any());
        doAnswer(inv -> types(inv.getArgument(2), inv.getArgument(3), inv.getArgument(4)))
                .when(ntdll).NtQueryObject(any(), eq(NtConstants.OBJECT_TYPES_INFORMATION), any(), anyInt(), any());
        doAnswer(inv -> systemHandles(inv.getArgument(1), inv.getArgument(2), inv.getArgument(3)))
                .when(ntdll).NtQuerySystemInformation(eq(NtConstants.SYSTEM_EXTENDED_HANDLE_INFORMATION), any(), anyInt(), any());
    }

    private synchronized int set(Pointer p, int length) {
        if (length == 0) {
            if (!tracing) return NtStatus.STATUS_INVALID_PARAMETER;
            tracing = false;
            ring.clear();
            return NtStatus.STATUS_SUCCESS;
        }
        if (p.getInt(0) != 0) return NtStatus.STATUS_INVALID_PARAMETER; // Flags must be 0
        int slots = length >= 8 ? p.getInt(4) : 0;
        capacity = slots == 0 ? 4096 : Integer.highestOneBit(Math.max(slots, 0x80) - 1) << 1;
        tracing = true;
        ring.clear(); // a fresh ring: history is lost
        enableCalls++;
        return NtStatus.STATUS_SUCCESS;
    }

    public WindowsNative natives() {
        return new WindowsNative(ntdll, kernel32, layout, () -> openProcessError);
    }

    public synchronized boolean tracing() {
        return tracing;
    }

    public synchronized void exit() {
        alive = false;
        handles.clear();
    }

    /** The target opens a handle of a type, from a stack (innermost first). */
    public synchronized long open(String type, long access, long... stack) {
        long h = nextHandle;
        nextHandle += 4;
        handles.put(h, new long[]{TYPES.indexOf(type) + 2, access});
        record(h, NtConstants.HANDLE_TRACE_DB_OPEN, stack);
        return h;
    }

    /** The target closes a handle. */
    public synchronized void close(long handle, long... stack) {
        handles.remove(handle);
        record(handle, NtConstants.HANDLE_TRACE_DB_CLOSE, stack);
    }

    public synchronized int handleCount() {
        return handles.size();
    }

    private synchronized void record(long handle, int type, long[] stack) {
        if (!tracing) return;
        ring.add(new RawTraceEntry(handle, PID, 77, type, stack));
        if (ring.size() > capacity) ring.remove(0);
    }

    private synchronized int query(int infoClass, Pointer buffer, int length, IntByReference returned) {
        if (!alive) return NtStatus.STATUS_PROCESS_IS_TERMINATING;
        if (infoClass == NtConstants.PROCESS_HANDLE_TRACING) {
            traceQueries++;
            if (traceQueryStatus != NtStatus.STATUS_SUCCESS) return traceQueryStatus;
            if (!tracing) return NtStatus.STATUS_INVALID_PARAMETER;
            long needed = layout.traceQuerySize(ring.size());
            if (length < layout.traceQueryEntries()) return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
            buffer.setInt(layout.traceQueryTotalTraces(), ring.size());
            int fits = (length - layout.traceQueryEntries()) / layout.traceEntrySize();
            for (int i = 0; i < Math.min(fits, ring.size()); i++) {
                RawTraceEntry e = ring.get(ring.size() - 1 - i); // newest first
                long base = layout.traceQueryEntries() + (long) i * layout.traceEntrySize();
                layout.writePointer(buffer, base + layout.traceEntryHandle(), e.handle());
                layout.writePointer(buffer, base + layout.traceEntryProcessId(), e.pid());
                layout.writePointer(buffer, base + layout.traceEntryThreadId(), e.tid());
                buffer.setInt(base + layout.traceEntryType(), e.type());
                for (int s = 0; s < e.depth(); s++) layout.writePointer(buffer, base + layout.traceEntryStacks() + (long) s * layout.pointerSize(), e.frame(s));
            }
            returned.setValue((int) needed);
            return needed > length ? NtStatus.STATUS_INFO_LENGTH_MISMATCH : NtStatus.STATUS_SUCCESS;
        }
        if (infoClass == NtConstants.PROCESS_HANDLE_INFORMATION) {
            if (handleClassStatus != NtStatus.STATUS_SUCCESS) return handleClassStatus;
            long needed = layout.handleSnapshotEntries() + (long) handles.size() * layout.handleEntrySize();
            returned.setValue((int) needed);
            if (needed > length) return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
            layout.writePointer(buffer, layout.handleSnapshotCount(), handles.size());
            int i = 0;
            for (Map.Entry<Long, long[]> h : handles.entrySet()) {
                long base = layout.handleSnapshotEntries() + (long) i++ * layout.handleEntrySize();
                layout.writePointer(buffer, base + layout.handleEntryValue(), h.getKey());
                layout.writePointer(buffer, base + layout.handleEntryHandleCount(), 1);
                layout.writePointer(buffer, base + layout.handleEntryPointerCount(), 32769);
                buffer.setInt(base + layout.handleEntryGrantedAccess(), (int) h.getValue()[1]);
                buffer.setInt(base + layout.handleEntryTypeIndex(), (int) h.getValue()[0]);
            }
            return NtStatus.STATUS_SUCCESS;
        }
        return NtStatus.STATUS_INVALID_INFO_CLASS;
    }

    private synchronized int systemHandles(Pointer buffer, int length, IntByReference returned) {
        // the target's handles, interleaved with another process's
        int total = handles.size() * 2;
        long needed = layout.systemHandlesEntries() + (long) total * layout.systemEntrySize();
        returned.setValue((int) needed);
        if (needed > length) return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
        layout.writePointer(buffer, layout.systemHandlesCount(), total);
        int i = 0;
        for (Map.Entry<Long, long[]> h : handles.entrySet()) {
            for (int pid : new int[]{PID + 1, PID}) {
                long base = layout.systemHandlesEntries() + (long) i++ * layout.systemEntrySize();
                layout.writePointer(buffer, base + layout.systemEntryObject(), 0xFFFF800012340000L + i);
                layout.writePointer(buffer, base + layout.systemEntryProcessId(), pid);
                layout.writePointer(buffer, base + layout.systemEntryValue(), h.getKey() + (pid == PID ? 0 : 0x1000));
                buffer.setInt(base + layout.systemEntryGrantedAccess(), (int) h.getValue()[1]);
                buffer.setShort(base + layout.systemEntryTypeIndex(), (short) h.getValue()[0]);
            }
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** OBJECT_TYPES_INFORMATION with TypeIndex = position + 2 (also right for the pre-8.1 rule). */
    private synchronized int types(Pointer buffer, int length, IntByReference returned) {
        long offset = layout.typesFirst();
        List<long[]> placements = new ArrayList<>();
        for (String t : TYPES) {
            int bytes = t.length() * 2;
            placements.add(new long[]{offset, bytes});
            offset += layout.typeInfoSize() + layout.align(bytes + 2);
        }
        returned.setValue((int) offset);
        if (offset > length) return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
        buffer.setInt(layout.typesCount(), TYPES.size());
        for (int i = 0; i < TYPES.size(); i++) {
            long at = placements.get(i)[0];
            int bytes = (int) placements.get(i)[1];
            buffer.setShort(at + layout.unicodeLength(), (short) bytes);
            buffer.setShort(at + layout.unicodeMaximumLength(), (short) (bytes + 2));
            layout.writePointer(buffer, at + layout.unicodeBuffer(), Pointer.nativeValue(buffer) + at + layout.typeInfoSize());
            buffer.setByte(at + layout.typeIndex(), (byte) (i + 2));
            buffer.write(at + layout.typeInfoSize(), TYPES.get(i).getBytes(StandardCharsets.UTF_16LE), 0, bytes);
        }
        return NtStatus.STATUS_SUCCESS;
    }
}
