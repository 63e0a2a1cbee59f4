package dev.jhtrace.dbgeng.jna.dataspaces;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugDataSpaces2's own methods in DbgEng.h order; they continue right after IDebugDataSpaces's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugDataSpaces2Slots implements VTableSlot {
    VirtualToPhysical, GetVirtualTranslationPhysicalOffsets, ReadHandleData, FillVirtual,
    FillPhysical, QueryVirtual;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugDataSpacesSlots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
