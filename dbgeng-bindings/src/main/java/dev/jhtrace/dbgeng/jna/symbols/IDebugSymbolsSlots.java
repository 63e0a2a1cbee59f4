package dev.jhtrace.dbgeng.jna.symbols;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugSymbols's own methods in DbgEng.h order; they follow the three IUnknown slots.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugSymbolsSlots implements VTableSlot {
    GetSymbolOptions, AddSymbolOptions, RemoveSymbolOptions, SetSymbolOptions,
    GetNameByOffset, GetOffsetByName, GetNearNameByOffset, GetLineByOffset,
    GetOffsetByLine, GetNumberModules, GetModuleByIndex, GetModuleByModuleName,
    GetModuleByOffset, GetModuleNames, GetModuleParameters, GetSymbolModule,
    GetTypeName, GetTypeId, GetTypeSize, GetFieldOffset,
    GetSymbolTypeId, GetOffsetTypeId, ReadTypedDataVirtual, WriteTypedDataVirtual,
    OutputTypedDataVirtual, ReadTypedDataPhysical, WriteTypedDataPhysical, OutputTypedDataPhysical,
    GetScope, SetScope, ResetScope, GetScopeSymbolGroup,
    CreateSymbolGroup, StartSymbolMatch, GetNextSymbolMatch, EndSymbolMatch,
    Reload, GetSymbolPath, SetSymbolPath, AppendSymbolPath,
    GetImagePath, SetImagePath, AppendImagePath, GetSourcePath,
    GetSourcePathElement, SetSourcePath, AppendSourcePath, FindSourceFile,
    GetSourceFileLineOffsets;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.IUNKNOWN_SLOTS;

    @Override
    public int slot() {
        return START + ordinal();
    }
}
