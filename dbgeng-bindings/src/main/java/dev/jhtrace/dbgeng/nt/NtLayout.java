package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Byte offsets of the ntdll structures jhtrace decodes, for one pointer size. Buffers holding
 * variable-length data (the trace, the handle tables, the type list) are decoded by these offsets
 * instead of JNA's Structure auto-layout; a test checks every offset and size against
 * {@code reference/struct-layouts.tsv} for both {@link #X64} and {@link #X86}.
 *
 * @param pointerSize 8 on x64, 4 on x86
 */
public record NtLayout(int pointerSize) {

    /** 64-bit Windows. */
    public static final NtLayout X64 = new NtLayout(8);
    /** 32-bit Windows. */
    public static final NtLayout X86 = new NtLayout(4);

    public NtLayout {
        if (pointerSize != 4 && pointerSize != 8) throw new IllegalArgumentException("pointer size must be 4 or 8");
    }

    /** The layout of this JVM (the toolkit must run in a JVM of the target's bitness). */
    public static NtLayout current() {
        return Native.POINTER_SIZE == 8 ? X64 : X86;
    }

    private int p(int n) {
        return n * pointerSize;
    }

    // PROCESS_HANDLE_TRACING_ENABLE_EX {ULONG Flags; ULONG TotalSlots;}
    public int enableSize() { return 4; }
    public int enableExSize() { return 8; }
    public int enableExTotalSlots() { return 4; }

    // PROCESS_HANDLE_TRACING_QUERY {HANDLE Handle; ULONG TotalTraces; PROCESS_HANDLE_TRACING_ENTRY HandleTrace[1];}
    public int traceQueryHandle() { return 0; }
    public int traceQueryTotalTraces() { return p(1); }
    public int traceQueryEntries() { return p(2); }

    // PROCESS_HANDLE_TRACING_ENTRY {HANDLE Handle; CLIENT_ID ClientId; ULONG Type; PVOID Stacks[16];}
    public int traceEntryHandle() { return 0; }
    public int traceEntryProcessId() { return p(1); }
    public int traceEntryThreadId() { return p(2); }
    public int traceEntryType() { return p(3); }
    public int traceEntryStacks() { return p(4); }
    public int traceEntrySize() { return p(4) + p(NtConstants.PROCESS_HANDLE_TRACING_MAX_STACKS); }

    /** Buffer size for a trace query that holds {@code entries} entries. */
    public long traceQuerySize(long entries) { return traceQueryEntries() + entries * traceEntrySize(); }

    // PROCESS_HANDLE_SNAPSHOT_INFORMATION {ULONG_PTR NumberOfHandles; ULONG_PTR Reserved; PROCESS_HANDLE_TABLE_ENTRY_INFO Handles[1];}
    public int handleSnapshotCount() { return 0; }
    public int handleSnapshotEntries() { return p(2); }
    // PROCESS_HANDLE_TABLE_ENTRY_INFO {HANDLE HandleValue; ULONG_PTR HandleCount; ULONG_PTR PointerCount; ULONG GrantedAccess; ULONG ObjectTypeIndex; ULONG HandleAttributes; ULONG Reserved;}
    public int handleEntryValue() { return 0; }
    public int handleEntryHandleCount() { return p(1); }
    public int handleEntryPointerCount() { return p(2); }
    public int handleEntryGrantedAccess() { return p(3); }
    public int handleEntryTypeIndex() { return p(3) + 4; }
    public int handleEntryAttributes() { return p(3) + 8; }
    public int handleEntrySize() { return p(3) + 16; }

    // SYSTEM_HANDLE_INFORMATION_EX {ULONG_PTR NumberOfHandles; ULONG_PTR Reserved; SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX Handles[1];}
    public int systemHandlesCount() { return 0; }
    public int systemHandlesEntries() { return p(2); }
    // SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX {PVOID Object; ULONG_PTR UniqueProcessId; ULONG_PTR HandleValue; ULONG GrantedAccess;
    //   USHORT CreatorBackTraceIndex; USHORT ObjectTypeIndex; ULONG HandleAttributes; ULONG Reserved;}
    public int systemEntryObject() { return 0; }
    public int systemEntryProcessId() { return p(1); }
    public int systemEntryValue() { return p(2); }
    public int systemEntryGrantedAccess() { return p(3); }
    public int systemEntryTypeIndex() { return p(3) + 6; }
    public int systemEntryAttributes() { return p(3) + 8; }
    public int systemEntrySize() { return p(3) + 16; }

    // UNICODE_STRING {USHORT Length; USHORT MaximumLength; PWSTR Buffer;}
    public int unicodeLength() { return 0; }
    public int unicodeMaximumLength() { return 2; }
    public int unicodeBuffer() { return pointerSize; }
    public int unicodeSize() { return p(2); }

    // OBJECT_NAME_INFORMATION {UNICODE_STRING Name;}: the name follows the header in the same buffer
    public int objectNameSize() { return unicodeSize(); }

    // OBJECT_TYPES_INFORMATION {ULONG NumberOfTypes;} then OBJECT_TYPE_INFORMATION records, each followed by
    // its name buffer; records start pointer-aligned
    public int typesCount() { return 0; }
    public int typesFirst() { return align(4); }
    // OBJECT_TYPE_INFORMATION {UNICODE_STRING TypeName; 12 ULONG counters; ULONG InvalidAttributes; GENERIC_MAPPING (4 ULONG);
    //   ULONG ValidAccessMask; BOOLEAN SecurityRequired; BOOLEAN MaintainHandleCount; UCHAR TypeIndex; CHAR ReservedByte;
    //   ULONG PoolType; ULONG DefaultPagedPoolCharge; ULONG DefaultNonPagedPoolCharge;}
    public int typeName() { return 0; }
    public int typeValidAccessMask() { return unicodeSize() + 4 * 17; }
    public int typeIndex() { return typeValidAccessMask() + 6; }
    public int typeInfoSize() { return align(typeValidAccessMask() + 4 + 4 + 12); }

    /** {@code n} rounded up to the pointer size. */
    public int align(int n) {
        return (n + pointerSize - 1) & -pointerSize;
    }

    /** Reads a pointer-sized unsigned value (HANDLE, ULONG_PTR, PVOID). */
    public long readPointer(Pointer memory, long offset) {
        return pointerSize == 8 ? memory.getLong(offset) : memory.getInt(offset) & 0xFFFF_FFFFL;
    }

    /** Reads a pointer-sized unsigned value from a little-endian buffer (bulk decoding without a native call per field). */
    public long readPointer(java.nio.ByteBuffer buffer, int offset) {
        return pointerSize == 8 ? buffer.getLong(offset) : buffer.getInt(offset) & 0xFFFF_FFFFL;
    }

    /** Writes a pointer-sized value. */
    public void writePointer(Pointer memory, long offset, long value) {
        if (pointerSize == 8) memory.setLong(offset, value); else memory.setInt(offset, (int) value);
    }

    /**
     * True when {@code address} is a kernel-mode address: the high bit on x64 (canonical kernel half),
     * at or above 0x80000000 on x86 (the default SystemRangeStart; a /3GB system starts at 0xC0000000,
     * where the frames between are still user frames and are misfiled as kernel ones).
     */
    public boolean isKernelAddress(long address) {
        return pointerSize == 8 ? address < 0 : (address & 0xFFFF_FFFFL) >= 0x8000_0000L;
    }
}
