package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT.HANDLE;

import java.util.ArrayList;
import java.util.List;

/**
 * One process's handle table, as the kernel lists it to handle.exe: NtQueryInformationProcess
 * (ProcessHandleInformation, 51), available from Windows 8, and where that class is missing,
 * NtQuerySystemInformation (SystemExtendedHandleInformation, 64) filtered by process id. Holds the
 * process handle and pid it reads through. Both buffers are zeroed before each call and grown on
 * STATUS_INFO_LENGTH_MISMATCH (see {@link GrowingQuery}).
 */
public final class KernelHandleTable {
    private static final long MAX_PROCESS_TABLE_BYTES = 256L << 20;
    private static final long MAX_SYSTEM_TABLE_BYTES = 1L << 30;

    private final Ntdll ntdll;
    private final NtLayout layout;
    private final HANDLE process;
    private final int pid;

    public KernelHandleTable(Ntdll ntdll, NtLayout layout, HANDLE process, int pid) {
        this.ntdll = ntdll;
        this.layout = layout;
        this.process = process;
        this.pid = pid;
    }

    /** The handles open now. */
    public List<RawHandle> read() {
        GrowingQuery.Outcome outcome = new GrowingQuery(0x4000, MAX_PROCESS_TABLE_BYTES, 10).run("listing the process's handles",
                (buffer, length, returned) -> ntdll.NtQueryInformationProcess(process, NtConstants.PROCESS_HANDLE_INFORMATION, buffer, length, returned));
        if (outcome.ok()) return decodeProcessTable(outcome.result().memory(), outcome.result().memory().size(), layout);
        if (isMissingClass(outcome.status())) return readSystemTable();
        throw NtStatus.error("listing the handles of process " + pid, outcome.status());
    }

    /** Older Windows answers these for an information class it does not have. */
    static boolean isMissingClass(int status) {
        return status == NtStatus.STATUS_INVALID_INFO_CLASS || status == NtStatus.STATUS_NOT_IMPLEMENTED
                || status == NtStatus.STATUS_NOT_SUPPORTED;
    }

    private List<RawHandle> readSystemTable() {
        GrowingQuery.Result result = new GrowingQuery(0x10000, MAX_SYSTEM_TABLE_BYTES, 10).run("listing the system's handles",
                        (buffer, length, returned) -> ntdll.NtQuerySystemInformation(NtConstants.SYSTEM_EXTENDED_HANDLE_INFORMATION, buffer, length, returned))
                .orThrow("listing the system's handles");
        return decodeSystemTable(result.memory(), result.memory().size(), layout, pid);
    }

    /** Decodes PROCESS_HANDLE_SNAPSHOT_INFORMATION; never reads past the buffer, whatever NumberOfHandles says. */
    public static List<RawHandle> decodeProcessTable(Pointer buffer, long bufferSize, NtLayout layout) {
        long count = clampCount(layout.readPointer(buffer, layout.handleSnapshotCount()), bufferSize, layout.handleSnapshotEntries(), layout.handleEntrySize());
        List<RawHandle> handles = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            long base = layout.handleSnapshotEntries() + i * layout.handleEntrySize();
            handles.add(new RawHandle(layout.readPointer(buffer, base + layout.handleEntryValue()),
                    buffer.getInt(base + layout.handleEntryTypeIndex()),
                    buffer.getInt(base + layout.handleEntryGrantedAccess()) & 0xFFFF_FFFFL,
                    buffer.getInt(base + layout.handleEntryAttributes()) & 0xFFFF_FFFFL,
                    layout.readPointer(buffer, base + layout.handleEntryHandleCount()),
                    layout.readPointer(buffer, base + layout.handleEntryPointerCount())));
        }
        return handles;
    }

    /** Decodes SYSTEM_HANDLE_INFORMATION_EX, keeping the entries of process {@code pid}. */
    public static List<RawHandle> decodeSystemTable(Pointer buffer, long bufferSize, NtLayout layout, int pid) {
        long count = clampCount(layout.readPointer(buffer, layout.systemHandlesCount()), bufferSize, layout.systemHandlesEntries(), layout.systemEntrySize());
        List<RawHandle> handles = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long base = layout.systemHandlesEntries() + i * layout.systemEntrySize();
            if (layout.readPointer(buffer, base + layout.systemEntryProcessId()) != (pid & 0xFFFF_FFFFL)) continue;
            handles.add(new RawHandle(layout.readPointer(buffer, base + layout.systemEntryValue()),
                    buffer.getShort(base + layout.systemEntryTypeIndex()) & 0xFFFF,
                    buffer.getInt(base + layout.systemEntryGrantedAccess()) & 0xFFFF_FFFFL,
                    buffer.getInt(base + layout.systemEntryAttributes()) & 0xFFFF_FFFFL,
                    -1, -1));
        }
        return handles;
    }

    private static long clampCount(long count, long bufferSize, int headerSize, int entrySize) {
        long fits = Math.max(0, (bufferSize - headerSize) / entrySize);
        return Math.min(count, fits);
    }
}
