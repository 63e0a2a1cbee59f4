package dev.jhtrace.dbgeng.jna.client;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugClient3's own methods in DbgEng.h order; they continue right after IDebugClient2's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugClient3Slots implements VTableSlot {
    GetRunningProcessSystemIdByExecutableNameWide, GetRunningProcessDescriptionWide, CreateProcessWide, CreateProcessAndAttachWide;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugClient2Slots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
