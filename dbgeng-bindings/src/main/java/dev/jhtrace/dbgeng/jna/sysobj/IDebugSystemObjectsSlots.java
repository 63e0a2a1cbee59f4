package dev.jhtrace.dbgeng.jna.sysobj;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugSystemObjects's own methods in DbgEng.h order; they follow the three IUnknown slots.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugSystemObjectsSlots implements VTableSlot {
    GetEventThread, GetEventProcess, GetCurrentThreadId, SetCurrentThreadId,
    GetCurrentProcessId, SetCurrentProcessId, GetNumberThreads, GetTotalNumberThreads,
    GetThreadIdsByIndex, GetThreadIdByProcessor, GetCurrentThreadDataOffset, GetThreadIdByDataOffset,
    GetCurrentThreadTeb, GetThreadIdByTeb, GetCurrentThreadSystemId, GetThreadIdBySystemId,
    GetCurrentThreadHandle, GetThreadIdByHandle, GetNumberProcesses, GetProcessIdsByIndex,
    GetCurrentProcessDataOffset, GetProcessIdByDataOffset, GetCurrentProcessPeb, GetProcessIdByPeb,
    GetCurrentProcessSystemId, GetProcessIdBySystemId, GetCurrentProcessHandle, GetProcessIdByHandle,
    GetCurrentProcessExecutableName;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.IUNKNOWN_SLOTS;

    @Override
    public int slot() {
        return START + ordinal();
    }
}
