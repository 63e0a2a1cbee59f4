package dev.jhtrace.dbgeng.jna.symbols;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugSymbols2's own methods in DbgEng.h order; they continue right after IDebugSymbols's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugSymbols2Slots implements VTableSlot {
    GetModuleVersionInformation, GetModuleNameString, GetConstantName, GetFieldName,
    GetTypeOptions, AddTypeOptions, RemoveTypeOptions, SetTypeOptions;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugSymbolsSlots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
