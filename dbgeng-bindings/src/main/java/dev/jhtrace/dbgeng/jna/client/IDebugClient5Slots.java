package dev.jhtrace.dbgeng.jna.client;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugClient5's own methods in DbgEng.h order; they continue right after IDebugClient4's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugClient5Slots implements VTableSlot {
    AttachKernelWide, GetKernelConnectionOptionsWide, SetKernelConnectionOptionsWide, StartProcessServerWide,
    ConnectProcessServerWide, StartServerWide, OutputServersWide, GetOutputCallbacksWide,
    SetOutputCallbacksWide, GetOutputLinePrefixWide, SetOutputLinePrefixWide, GetIdentityWide,
    OutputIdentityWide, GetEventCallbacksWide, SetEventCallbacksWide, CreateProcess2,
    CreateProcess2Wide, CreateProcessAndAttach2, CreateProcessAndAttach2Wide, PushOutputLinePrefix,
    PushOutputLinePrefixWide, PopOutputLinePrefix, GetNumberInputCallbacks, GetNumberOutputCallbacks,
    GetNumberEventCallbacks, GetQuitLockString, SetQuitLockString, GetQuitLockStringWide,
    SetQuitLockStringWide;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugClient4Slots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
