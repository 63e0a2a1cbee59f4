package dev.jhtrace.dbgeng.nt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every offset and size the decoders use, checked against reference/struct-layouts.tsv on x64 and x86. */
class NtLayoutTest {
    private static final Map<String, long[]> REF = ReferenceTables.layouts();

    private static void offset(String arch, String struct, String field, int ours) {
        long[] r = REF.get(struct + "|" + field + "|" + arch);
        assertNotNull(r, struct + "." + field + " (" + arch + ") missing from struct-layouts.tsv");
        assertEquals(r[0], ours, arch + " offset of " + struct + "." + field);
    }

    private static void size(String arch, String struct, String field, int ours) {
        long[] r = REF.get(struct + "|" + field + "|" + arch);
        assertNotNull(r, struct + "." + field + " (" + arch + ") missing from struct-layouts.tsv");
        assertEquals(r[1], ours, arch + " size of " + struct + "." + field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x64", "x86"})
    void layoutsMatchTheReferenceTable(String arch) {
        NtLayout l = arch.equals("x64") ? NtLayout.X64 : NtLayout.X86;
        int p = l.pointerSize();
        size(arch, "PROCESS_HANDLE_TRACING_ENABLE", "(sizeof)", l.enableSize());
        size(arch, "PROCESS_HANDLE_TRACING_ENABLE_EX", "(sizeof)", l.enableExSize());
        offset(arch, "PROCESS_HANDLE_TRACING_ENABLE_EX", "Flags", 0);
        offset(arch, "PROCESS_HANDLE_TRACING_ENABLE_EX", "TotalSlots", l.enableExTotalSlots());

        offset(arch, "PROCESS_HANDLE_TRACING_QUERY", "Handle", l.traceQueryHandle());
        offset(arch, "PROCESS_HANDLE_TRACING_QUERY", "TotalTraces", l.traceQueryTotalTraces());
        offset(arch, "PROCESS_HANDLE_TRACING_QUERY", "HandleTrace", l.traceQueryEntries());
        offset(arch, "PROCESS_HANDLE_TRACING_QUERY", "HandleTrace[0].Type", l.traceQueryEntries() + l.traceEntryType());
        offset(arch, "PROCESS_HANDLE_TRACING_QUERY", "HandleTrace[0].Stacks", l.traceQueryEntries() + l.traceEntryStacks());
        size(arch, "PROCESS_HANDLE_TRACING_QUERY", "(sizeof)", (int) l.traceQuerySize(1));

        size(arch, "PROCESS_HANDLE_TRACING_ENTRY", "(sizeof)", l.traceEntrySize());
        offset(arch, "PROCESS_HANDLE_TRACING_ENTRY", "Handle", l.traceEntryHandle());
        offset(arch, "PROCESS_HANDLE_TRACING_ENTRY", "ClientId.UniqueProcess", l.traceEntryProcessId());
        offset(arch, "PROCESS_HANDLE_TRACING_ENTRY", "ClientId.UniqueThread", l.traceEntryThreadId());
        offset(arch, "PROCESS_HANDLE_TRACING_ENTRY", "Type", l.traceEntryType());
        offset(arch, "PROCESS_HANDLE_TRACING_ENTRY", "Stacks", l.traceEntryStacks());
        offset(arch, "PROCESS_HANDLE_TRACING_ENTRY", "Stacks[1]", l.traceEntryStacks() + p);
        size(arch, "PROCESS_HANDLE_TRACING_ENTRY", "Stacks", NtConstants.PROCESS_HANDLE_TRACING_MAX_STACKS * p);

        offset(arch, "PROCESS_HANDLE_SNAPSHOT_INFORMATION", "NumberOfHandles", l.handleSnapshotCount());
        size(arch, "PROCESS_HANDLE_SNAPSHOT_INFORMATION", "NumberOfHandles", p);
        offset(arch, "PROCESS_HANDLE_SNAPSHOT_INFORMATION", "Handles", l.handleSnapshotEntries());
        size(arch, "PROCESS_HANDLE_TABLE_ENTRY_INFO", "(sizeof)", l.handleEntrySize());
        offset(arch, "PROCESS_HANDLE_TABLE_ENTRY_INFO", "HandleValue", l.handleEntryValue());
        offset(arch, "PROCESS_HANDLE_TABLE_ENTRY_INFO", "HandleCount", l.handleEntryHandleCount());
        offset(arch, "PROCESS_HANDLE_TABLE_ENTRY_INFO", "PointerCount", l.handleEntryPointerCount());
        offset(arch, "PROCESS_HANDLE_TABLE_ENTRY_INFO", "GrantedAccess", l.handleEntryGrantedAccess());
        offset(arch, "PROCESS_HANDLE_TABLE_ENTRY_INFO", "ObjectTypeIndex", l.handleEntryTypeIndex());
        offset(arch, "PROCESS_HANDLE_TABLE_ENTRY_INFO", "HandleAttributes", l.handleEntryAttributes());

        offset(arch, "SYSTEM_HANDLE_INFORMATION_EX", "NumberOfHandles", l.systemHandlesCount());
        offset(arch, "SYSTEM_HANDLE_INFORMATION_EX", "Handles", l.systemHandlesEntries());
        size(arch, "SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX", "(sizeof)", l.systemEntrySize());
        offset(arch, "SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX", "Object", l.systemEntryObject());
        offset(arch, "SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX", "UniqueProcessId", l.systemEntryProcessId());
        offset(arch, "SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX", "HandleValue", l.systemEntryValue());
        offset(arch, "SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX", "GrantedAccess", l.systemEntryGrantedAccess());
        offset(arch, "SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX", "ObjectTypeIndex", l.systemEntryTypeIndex());
        size(arch, "SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX", "ObjectTypeIndex", 2);
        offset(arch, "SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX", "HandleAttributes", l.systemEntryAttributes());

        size(arch, "UNICODE_STRING", "(sizeof)", l.unicodeSize());
        offset(arch, "UNICODE_STRING", "Length", l.unicodeLength());
        offset(arch, "UNICODE_STRING", "MaximumLength", l.unicodeMaximumLength());
        offset(arch, "UNICODE_STRING", "Buffer", l.unicodeBuffer());
        size(arch, "OBJECT_NAME_INFORMATION", "(sizeof)", l.objectNameSize());
        offset(arch, "OBJECT_NAME_INFORMATION", "Name.Length", l.unicodeLength());
        offset(arch, "OBJECT_NAME_INFORMATION", "Name.Buffer", l.unicodeBuffer());

        size(arch, "OBJECT_TYPE_INFORMATION", "(sizeof)", l.typeInfoSize());
        offset(arch, "OBJECT_TYPE_INFORMATION", "TypeName", l.typeName());
        offset(arch, "OBJECT_TYPE_INFORMATION", "ValidAccessMask", l.typeValidAccessMask());
        offset(arch, "OBJECT_TYPE_INFORMATION", "TypeIndex", l.typeIndex());
        size(arch, "OBJECT_TYPE_INFORMATION", "(alignof)", p);
        // OBJECT_TYPES_INFORMATION is a ULONG count, then the first record at that record's alignment
        long align = ReferenceTables.layouts().get("OBJECT_TYPE_INFORMATION|(alignof)|" + arch)[1];
        assertEquals((4 + align - 1) / align * align, l.typesFirst(), arch + " typesFirst");
        size(arch, "CLIENT_ID", "(sizeof)", l.traceEntryThreadId() - l.traceEntryProcessId() + p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x64", "x86"})
    void traceBufferIsHeaderPlusEntries(String arch) {
        NtLayout l = arch.equals("x64") ? NtLayout.X64 : NtLayout.X86;
        // the research brief: entries returned = (length - header) / entry size; 160 bytes per entry on x64
        assertEquals(arch.equals("x64") ? 16 + 4096L * 160 : 8 + 4096L * 80, l.traceQuerySize(4096));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x64", "x86"})
    void kernelAddressesAreTheUpperHalf(String arch) {
        NtLayout l = arch.equals("x64") ? NtLayout.X64 : NtLayout.X86;
        if (arch.equals("x64")) {
            assertTrue(l.isKernelAddress(0xFFFFF80312345678L));
            assertFalse(l.isKernelAddress(0x00007FF812345678L));
        } else {
            assertTrue(l.isKernelAddress(0x8A001234L));
            assertFalse(l.isKernelAddress(0x77001234L));
        }
    }
}
