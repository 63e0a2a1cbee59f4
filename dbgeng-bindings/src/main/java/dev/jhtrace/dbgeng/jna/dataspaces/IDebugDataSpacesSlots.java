package dev.jhtrace.dbgeng.jna.dataspaces;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugDataSpaces's own methods in DbgEng.h order; they follow the three IUnknown slots.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugDataSpacesSlots implements VTableSlot {
    ReadVirtual, WriteVirtual, SearchVirtual, ReadVirtualUncached,
    WriteVirtualUncached, ReadPointersVirtual, WritePointersVirtual, ReadPhysical,
    WritePhysical, ReadControl, WriteControl, ReadIo,
    WriteIo, ReadMsr, WriteMsr, ReadBusData,
    WriteBusData, CheckLowMemory, ReadDebuggerData, ReadProcessorSystemData;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.IUNKNOWN_SLOTS;

    @Override
    public int slot() {
        return START + ordinal();
    }
}
