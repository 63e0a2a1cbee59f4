package dev.jhtrace.dbgeng.jna.client;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugClient2's own methods in DbgEng.h order; they continue right after IDebugClient's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugClient2Slots implements VTableSlot {
    WriteDumpFile2, AddDumpInformationFile, EndProcessServer, WaitForProcessServerEnd,
    IsKernelDebuggerEnabled, TerminateCurrentProcess, DetachCurrentProcess, AbandonCurrentProcess;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugClientSlots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
