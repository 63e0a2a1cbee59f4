package dev.jhtrace.dbgeng.jna.client;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugClient's own methods in DbgEng.h order; they follow the three IUnknown slots.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugClientSlots implements VTableSlot {
    AttachKernel, GetKernelConnectionOptions, SetKernelConnectionOptions, StartProcessServer,
    ConnectProcessServer, DisconnectProcessServer, GetRunningProcessSystemIds, GetRunningProcessSystemIdByExecutableName,
    GetRunningProcessDescription, AttachProcess, CreateProcess, CreateProcessAndAttach,
    GetProcessOptions, AddProcessOptions, RemoveProcessOptions, SetProcessOptions,
    OpenDumpFile, WriteDumpFile, ConnectSession, StartServer,
    OutputServers, TerminateProcesses, DetachProcesses, EndSession,
    GetExitCode, DispatchCallbacks, ExitDispatch, CreateClient,
    GetInputCallbacks, SetInputCallbacks, GetOutputCallbacks, SetOutputCallbacks,
    GetOutputMask, SetOutputMask, GetOtherOutputMask, SetOtherOutputMask,
    GetOutputWidth, SetOutputWidth, GetOutputLinePrefix, SetOutputLinePrefix,
    GetIdentity, OutputIdentity, GetEventCallbacks, SetEventCallbacks,
    FlushCallbacks;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.IUNKNOWN_SLOTS;

    @Override
    public int slot() {
        return START + ordinal();
    }
}
