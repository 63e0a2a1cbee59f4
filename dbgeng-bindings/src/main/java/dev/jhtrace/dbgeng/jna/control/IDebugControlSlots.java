package dev.jhtrace.dbgeng.jna.control;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugControl's own methods in DbgEng.h order; they follow the three IUnknown slots.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugControlSlots implements VTableSlot {
    GetInterrupt, SetInterrupt, GetInterruptTimeout, SetInterruptTimeout,
    GetLogFile, OpenLogFile, CloseLogFile, GetLogMask,
    SetLogMask, Input, ReturnInput, Output,
    OutputVaList, ControlledOutput, ControlledOutputVaList, OutputPrompt,
    OutputPromptVaList, GetPromptText, OutputCurrentState, OutputVersionInformation,
    GetNotifyEventHandle, SetNotifyEventHandle, Assemble, Disassemble,
    GetDisassembleEffectiveOffset, OutputDisassembly, OutputDisassemblyLines, GetNearInstruction,
    GetStackTrace, GetReturnOffset, OutputStackTrace, GetDebuggeeType,
    GetActualProcessorType, GetExecutingProcessorType, GetNumberPossibleExecutingProcessorTypes, GetPossibleExecutingProcessorTypes,
    GetNumberProcessors, GetSystemVersion, GetPageSize, IsPointer64Bit,
    ReadBugCheckData, GetNumberSupportedProcessorTypes, GetSupportedProcessorTypes, GetProcessorTypeNames,
    GetEffectiveProcessorType, SetEffectiveProcessorType, GetExecutionStatus, SetExecutionStatus,
    GetCodeLevel, SetCodeLevel, GetEngineOptions, AddEngineOptions,
    RemoveEngineOptions, SetEngineOptions, GetSystemErrorControl, SetSystemErrorControl,
    GetTextMacro, SetTextMacro, GetRadix, SetRadix,
    Evaluate, CoerceValue, CoerceValues, Execute,
    ExecuteCommandFile, GetNumberBreakpoints, GetBreakpointByIndex, GetBreakpointById,
    GetBreakpointParameters, AddBreakpoint, RemoveBreakpoint, AddExtension,
    RemoveExtension, GetExtensionByPath, CallExtension, GetExtensionFunction,
    GetWindbgExtensionApis32, GetWindbgExtensionApis64, GetNumberEventFilters, GetEventFilterText,
    GetEventFilterCommand, SetEventFilterCommand, GetSpecificFilterParameters, SetSpecificFilterParameters,
    GetSpecificFilterArgument, SetSpecificFilterArgument, GetExceptionFilterParameters, SetExceptionFilterParameters,
    GetExceptionFilterSecondCommand, SetExceptionFilterSecondCommand, WaitForEvent, GetLastEventInformation;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.IUNKNOWN_SLOTS;

    @Override
    public int slot() {
        return START + ordinal();
    }
}
