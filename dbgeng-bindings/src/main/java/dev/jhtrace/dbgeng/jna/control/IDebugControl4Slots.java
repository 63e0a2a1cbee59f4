package dev.jhtrace.dbgeng.jna.control;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugControl4's own methods in DbgEng.h order; they continue right after IDebugControl3's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugControl4Slots implements VTableSlot {
    GetLogFileWide, OpenLogFileWide, InputWide, ReturnInputWide,
    OutputWide, OutputVaListWide, ControlledOutputWide, ControlledOutputVaListWide,
    OutputPromptWide, OutputPromptVaListWide, GetPromptTextWide, AssembleWide,
    DisassembleWide, GetProcessorTypeNamesWide, GetTextMacroWide, SetTextMacroWide,
    EvaluateWide, ExecuteWide, ExecuteCommandFileWide, GetBreakpointByIndex2,
    GetBreakpointById2, AddBreakpoint2, RemoveBreakpoint2, AddExtensionWide,
    GetExtensionByPathWide, CallExtensionWide, GetExtensionFunctionWide, GetEventFilterTextWide,
    GetEventFilterCommandWide, SetEventFilterCommandWide, GetSpecificFilterArgumentWide, SetSpecificFilterArgumentWide,
    GetExceptionFilterSecondCommandWide, SetExceptionFilterSecondCommandWide, GetLastEventInformationWide, GetTextReplacementWide,
    SetTextReplacementWide, SetExpressionSyntaxByNameWide, GetExpressionSyntaxNamesWide, GetEventIndexDescriptionWide,
    GetLogFile2, OpenLogFile2, GetLogFile2Wide, OpenLogFile2Wide,
    GetSystemVersionValues, GetSystemVersionString, GetSystemVersionStringWide, GetContextStackTrace,
    OutputContextStackTrace, GetStoredEventInformation, GetManagedStatus, GetManagedStatusWide,
    ResetManagedStatus;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugControl3Slots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
