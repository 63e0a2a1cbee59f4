package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.ShortByReference;

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
 * What Windows does behind the ntdll, kernel32 and advapi32 calls, for Mockito: one process with a
 * handle table and a handle-trace ring. The mocks write into the caller's buffer with the offsets of
 * {@link NtLayout} (itself checked against the TSVs). Each modelled behaviour names its source
 * ("brief" is shared/notes/research-brief.md, "facts" shared/notes/windows-kernel-facts.md; [re] marks
 * behaviour known from decompiled kernels, not from documentation):
 * <ul>
 *   <li>the query returns the ring newest first, unused slots skipped, TotalTraces counting every entry,
 *   STATUS_INFO_LENGTH_MISMATCH with a partial copy when the buffer is short (brief §3.1, §3.2 [re]);</li>
 *   <li><b>ReturnLength is the bytes copied, not the bytes needed</b> (facts, "Handle tracing" [re]):
 *   the size needed is only in TotalTraces;</li>
 *   <li><b>stacks are zeroed without an enabled SeDebugPrivilege</b> on Windows 11 24H2 / Server 2025
 *   (facts [re]; brief §0.5 [doc]: Restrict-Kernel-Address-Leaks needs SeDebugPrivilege) — the query
 *   succeeds, all 16 slots are 0; {@link #zeroesStacksWithoutDebugPrivilege} false models older kernels;</li>
 *   <li><b>a service (or another user's process) cannot be opened without the enabled privilege</b>,
 *   even elevated (facts, "Access"; Microsoft's OpenProcess documentation: with SeDebugPrivilege enabled
 *   the access is granted regardless of the security descriptor): ERROR_ACCESS_DENIED;</li>
 *   <li>AdjustTokenPrivileges succeeds and sets ERROR_NOT_ALL_ASSIGNED for a privilege the token does
 *   not hold (Microsoft's AdjustTokenPrivileges documentation);</li>
 *   <li>re-enabling swaps in a fresh, empty ring (brief §0.3, §3.2 [re]); a zero-length set disables and
 *   a query while off is STATUS_INVALID_PARAMETER (brief §3.1 [re]); Flags other than 0 are
 *   STATUS_INVALID_PARAMETER (brief §3.1 [re]);</li>
 *   <li><b>a WoW64 target's entries hold only native 64-bit frames</b>: the kernel walks the 64-bit stack at
 *   the transition out of the emulated code, so the 32-bit frames (below 4 GiB here) are not recorded
 *   (facts, "WoW64 targets", marked likely; not confirmed on a real system); IsWow64Process2 answers
 *   IMAGE_FILE_MACHINE_I386 (0x014c) for it (Microsoft's IsWow64Process2 documentation);</li>
 *   <li>a handle another process duplicated into the target is recorded with that process's ClientId
 *   and stack (Microsoft's !htrace remarks: some traces "may be from a different process context");</li>
 *   <li>each process handle carries the access it was opened with: the trace and table queries need
 *   PROCESS_QUERY_INFORMATION, enabling needs PROCESS_SET_INFORMATION, else STATUS_ACCESS_DENIED
 *   (brief §3.1 and §4, from ntdoc's processinfoclass.md [doc]).</li>
 * </ul>
 */
public final class SimulatedKernel {
    public static final int PID = 4242;
    public static final HANDLE PROCESS = new HANDLE(Pointer.createConstant(0x1234));
    public static final List<String> TYPES = List.of("Type", "Directory", "File", "Event", "Key", "Token", "Mutant");

    public final NtLayout layout = NtLayout.X64;
    public final Ntdll ntdll = mock(Ntdll.class);
    public final Kernel32Api kernel32 = mock(Kernel32Api.class);
    public final Advapi32Api advapi32 = mock(Advapi32Api.class);
    private final Map<Long, Integer> processAccess = new LinkedHashMap<>(); // process handle value -> granted access
    private long nextProcessHandle = 0x2000;
    private final Map<Long, long[]> handles = new LinkedHashMap<>(); // value -> {typeIndex, access}
    private final List<RawTraceEntry> ring = new ArrayList<>(); // oldest first, at most capacity
    private int capacity;
    private boolean tracing;
    private boolean alive = true;
    private long nextHandle = 0x4;
    public volatile int enableCalls;
    public volatile int traceQueries;
    public int openProcessError;
    /** The calling thread's last Win32 error, as each simulated kernel32/advapi32 call leaves it. */
    public volatile int lastError;
    /** Whether the token holds SeDebugPrivilege (an elevated administrator does, disabled). */
    public boolean debugPrivilegeHeld = true;
    private boolean debugPrivilegeEnabled;
    /** Windows 11 24H2 / Server 2025: trace stacks read without an enabled SeDebugPrivilege are all zero. */
    public boolean zeroesStacksWithoutDebugPrivilege = true;
    /** The target is a service (or another user's process): opening it needs the enabled SeDebugPrivilege. */
    public boolean targetIsService;
    /** The target is a 32-bit process on 64-bit Windows. */
    public boolean targetIsWow64;
    public int handleClassStatus = NtStatus.STATUS_SUCCESS; // e.g. STATUS_INVALID_INFO_CLASS for Windows 7
    public int traceQueryStatus = NtStatus.STATUS_SUCCESS;   // forced failure of trace queries

    public SimulatedKernel() {
        processAccess.put(Pointer.nativeValue(PROCESS.getPointer()), PROCESS_ALL_ACCESS); // what CreateProcess hands back
        lenient().when(kernel32.OpenProcess(anyInt(), anyBoolean(), anyInt())).thenAnswer(inv -> openProcess(inv.getArgument(0)));
        lenient().when(kernel32.IsWow64Process2(any(), any(), any())).thenAnswer(inv -> {
            ((ShortByReference) inv.getArgument(1)).setValue(targetIsWow64 ? (short) 0x014c : 0);
            ((ShortByReference) inv.getArgument(2)).setValue((short) 0x8664);
            return true;
        });
        lenient().when(advapi32.OpenProcessToken(any(), anyInt(), any())).thenAnswer(inv -> {
            ((HANDLEByReference) inv.getArgument(2)).setValue(new HANDLE(Pointer.createConstant(0x7070)));
            return true;
        });
        lenient().when(advapi32.LookupPrivilegeValueW(any(), any(), any())).thenAnswer(inv -> {
            if (!WinNT.SE_DEBUG_NAME.equals(inv.getArgument(1))) return false;
            ((WinNT.LUID) inv.getArgument(2)).LowPart = SE_DEBUG_LUID;
            return true;
        });
        lenient().when(advapi32.AdjustTokenPrivileges(any(), anyBoolean(), any(), anyInt(), any(), any())).thenAnswer(inv -> adjust(inv.getArgument(2)));
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
        lenient().when(ntdll.NtSetInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_TRACING), any(), anyInt())).thenAnswer(inv -> set(inv.getArgument(0), inv.getArgument(2), inv.getArgument(3)));
        doAnswer(inv -> query(inv.getArgument(0), inv.getArgument(1), inv.getArgument(2), inv.getArgument(3), inv.getArgument(4)))
                .when(ntdll).NtQueryInformationProcess(any(), anyInt(), any(), anyInt(), any());
        doAnswer(inv -> types(inv.getArgument(2), inv.getArgument(3), inv.getArgument(4)))
                .when(ntdll).NtQueryObject(any(), eq(NtConstants.OBJECT_TYPES_INFORMATION), any(), anyInt(), any());
        doAnswer(inv -> systemHandles(inv.getArgument(1), inv.getArgument(2), inv.getArgument(3)))
                .when(ntdll).NtQuerySystemInformation(eq(NtConstants.SYSTEM_EXTENDED_HANDLE_INFORMATION), any(), anyInt(), any());
    }

    /** SE_DEBUG_PRIVILEGE's LUID (20 on every Windows; any value would do here). */
    private static final int SE_DEBUG_LUID = 20;
    private static final int PROCESS_ALL_ACCESS = 0x1FFFFF;

    private synchronized HANDLE openProcess(int access) {
        int error = openProcessError != 0 ? openProcessError
                : targetIsService && !debugPrivilegeEnabled ? NtConstants.ERROR_ACCESS_DENIED : 0;
        lastError = error;
        if (error != 0) return null;
        long value = nextProcessHandle;
        nextProcessHandle += 4;
        processAccess.put(value, access);
        return new HANDLE(Pointer.createConstant(value));
    }

    private synchronized boolean adjust(WinNT.TOKEN_PRIVILEGES state) {
        boolean enable = state.Privileges[0].Attributes.intValue() == WinNT.SE_PRIVILEGE_ENABLED;
        if (state.Privileges[0].Luid.LowPart != SE_DEBUG_LUID) throw new AssertionError("only SeDebugPrivilege is simulated");
        if (!debugPrivilegeHeld) {
            lastError = WinError.ERROR_NOT_ALL_ASSIGNED; // the call succeeds, but nothing was assigned
            return true;
        }
        debugPrivilegeEnabled = enable;
        lastError = 0;
        return true;
    }

    public synchronized boolean debugPrivilegeEnabled() {
        return debugPrivilegeEnabled;
    }

    /** The access a process handle was opened with (0 for a handle the kernel never gave out). */
    public synchronized int access(HANDLE process) {
        return process == null ? 0 : processAccess.getOrDefault(Pointer.nativeValue(process.getPointer()), 0);
    }

    /** The process handles opened with OpenProcess, in order, with their access. */
    public synchronized Map<Long, Integer> openedProcessHandles() {
        Map<Long, Integer> opened = new LinkedHashMap<>(processAccess);
        opened.remove(Pointer.nativeValue(PROCESS.getPointer()));
        return opened;
    }

    private boolean lacks(HANDLE process, int right) {
        return (access(process) & right) != right;
    }

    private synchronized int set(HANDLE process, Pointer p, int length) {
        if (lacks(process, NtConstants.PROCESS_SET_INFORMATION)) return NtStatus.STATUS_ACCESS_DENIED;
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
        return new WindowsNative(ntdll, kernel32, advapi32, layout, () -> lastError);
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

    /** Another process ({@code pid}) duplicates one of its objects into the target: the entry carries that process's ClientId and stack. */
    public synchronized long duplicateIn(int pid, String type, long access, long... stack) {
        long h = nextHandle;
        nextHandle += 4;
        handles.put(h, new long[]{TYPES.indexOf(type) + 2, access});
        if (tracing) addToRing(new RawTraceEntry(h, pid, 99, NtConstants.HANDLE_TRACE_DB_OPEN, stack));
        return h;
    }

    private synchronized void record(long handle, int type, long[] stack) {
        if (!tracing) return;
        long[] recorded = stack;
        if (targetIsWow64) recorded = java.util.Arrays.stream(stack).filter(a -> a < 0 || a >= 0x1_0000_0000L).toArray(); // no 32-bit frames
        addToRing(new RawTraceEntry(handle, PID, 77, type, recorded));
    }

    private void addToRing(RawTraceEntry entry) {
        ring.add(entry);
        if (ring.size() > capacity) ring.remove(0);
    }

    private synchronized int query(HANDLE process, int infoClass, Pointer buffer, int length, IntByReference returned) {
        if (!alive) return NtStatus.STATUS_PROCESS_IS_TERMINATING;
        if (lacks(process, NtConstants.PROCESS_QUERY_INFORMATION)) return NtStatus.STATUS_ACCESS_DENIED;
        if (infoClass == NtConstants.PROCESS_HANDLE_TRACING) {
            traceQueries++;
            if (traceQueryStatus != NtStatus.STATUS_SUCCESS) return traceQueryStatus;
            if (!tracing) return NtStatus.STATUS_INVALID_PARAMETER;
            long needed = layout.traceQuerySize(ring.size());
            if (length < layout.traceQueryEntries()) return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
            buffer.setInt(layout.traceQueryTotalTraces(), ring.size());
            int fits = (length - layout.traceQueryEntries()) / layout.traceEntrySize();
            int copied = Math.min(fits, ring.size());
            boolean zeroStacks = zeroesStacksWithoutDebugPrivilege && !debugPrivilegeEnabled;
            for (int i = 0; i < copied; i++) {
                RawTraceEntry e = ring.get(ring.size() - 1 - i); // newest first
                long base = layout.traceQueryEntries() + (long) i * layout.traceEntrySize();
                layout.writePointer(buffer, base + layout.traceEntryHandle(), e.handle());
                layout.writePointer(buffer, base + layout.traceEntryProcessId(), e.pid());
                layout.writePointer(buffer, base + layout.traceEntryThreadId(), e.tid());
                buffer.setInt(base + layout.traceEntryType(), e.type());
                for (int s = 0; s < e.depth(); s++) {
                    layout.writePointer(buffer, base + layout.traceEntryStacks() + (long) s * layout.pointerSize(), zeroStacks ? 0 : e.frame(s));
                }
            }
            returned.setValue((int) layout.traceQuerySize(copied)); // the bytes copied, not the bytes needed
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
