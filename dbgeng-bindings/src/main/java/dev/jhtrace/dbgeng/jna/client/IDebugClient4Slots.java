package dev.jhtrace.dbgeng.jna.client;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugClient4's own methods in DbgEng.h order; they continue right after IDebugClient3's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugClient4Slots implements VTableSlot {
    OpenDumpFileWide, WriteDumpFileWide, AddDumpInformationFileWide, GetNumberDumpFiles,
    GetDumpFile, GetDumpFileWide;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugClient3Slots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
