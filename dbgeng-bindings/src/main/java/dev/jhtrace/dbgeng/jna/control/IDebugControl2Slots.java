package dev.jhtrace.dbgeng.jna.control;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugControl2's own methods in DbgEng.h order; they continue right after IDebugControl's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugControl2Slots implements VTableSlot {
    GetCurrentTimeDate, GetCurrentSystemUpTime, GetDumpFormatFlags, GetNumberTextReplacements,
    GetTextReplacement, SetTextReplacement, RemoveTextReplacements, OutputTextReplacements;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugControlSlots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
