package dev.jhtrace.dbgeng.jna.callbacks;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugOutputCallbacksWide's own methods in DbgEng.h order; they follow the three IUnknown slots.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugOutputCallbacksWideSlots implements VTableSlot {
    Output;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.IUNKNOWN_SLOTS;

    @Override
    public int slot() {
        return START + ordinal();
    }
}
