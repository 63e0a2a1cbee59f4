package dev.jhtrace.dbgeng.jna.control;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugControl3's own methods in DbgEng.h order; they continue right after IDebugControl2's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugControl3Slots implements VTableSlot {
    GetAssemblyOptions, AddAssemblyOptions, RemoveAssemblyOptions, SetAssemblyOptions,
    GetExpressionSyntax, SetExpressionSyntax, SetExpressionSyntaxByName, GetNumberExpressionSyntaxes,
    GetExpressionSyntaxNames, GetNumberEvents, GetEventIndexDescription, GetCurrentEventIndex,
    SetNextEventIndex;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugControl2Slots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
