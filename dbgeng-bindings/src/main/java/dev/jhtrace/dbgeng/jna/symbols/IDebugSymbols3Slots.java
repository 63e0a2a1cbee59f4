package dev.jhtrace.dbgeng.jna.symbols;

import dev.jhtrace.dbgeng.jna.VTableSlot;

/**
 * IDebugSymbols3's own methods in DbgEng.h order; they continue right after IDebugSymbols2's last slot.
 * Declared once, here; the slot numbers are checked against the reference vtable table in the tests.
 */
public enum IDebugSymbols3Slots implements VTableSlot {
    GetNameByOffsetWide, GetOffsetByNameWide, GetNearNameByOffsetWide, GetLineByOffsetWide,
    GetOffsetByLineWide, GetModuleByModuleNameWide, GetSymbolModuleWide, GetTypeNameWide,
    GetTypeIdWide, GetFieldOffsetWide, GetSymbolTypeIdWide, GetScopeSymbolGroup2,
    CreateSymbolGroup2, StartSymbolMatchWide, GetNextSymbolMatchWide, ReloadWide,
    GetSymbolPathWide, SetSymbolPathWide, AppendSymbolPathWide, GetImagePathWide,
    SetImagePathWide, AppendImagePathWide, GetSourcePathWide, GetSourcePathElementWide,
    SetSourcePathWide, AppendSourcePathWide, FindSourceFileWide, GetSourceFileLineOffsetsWide,
    GetModuleVersionInformationWide, GetModuleNameStringWide, GetConstantNameWide, GetFieldNameWide,
    IsManagedModule, GetModuleByModuleName2, GetModuleByModuleName2Wide, GetModuleByOffset2,
    AddSyntheticModule, AddSyntheticModuleWide, RemoveSyntheticModule, GetCurrentScopeFrameIndex,
    SetScopeFrameByIndex, SetScopeFromJitDebugInfo, SetScopeFromStoredEvent, OutputSymbolByOffset,
    GetFunctionEntryByOffset, GetFieldTypeAndOffset, GetFieldTypeAndOffsetWide, AddSyntheticSymbol,
    AddSyntheticSymbolWide, RemoveSyntheticSymbol, GetSymbolEntriesByOffset, GetSymbolEntriesByName,
    GetSymbolEntriesByNameWide, GetSymbolEntryByToken, GetSymbolEntryInformation, GetSymbolEntryString,
    GetSymbolEntryStringWide, GetSymbolEntryOffsetRegions, GetSymbolEntryBySymbolEntry, GetSourceEntriesByOffset,
    GetSourceEntriesByLine, GetSourceEntriesByLineWide, GetSourceEntryString, GetSourceEntryStringWide,
    GetSourceEntryOffsetRegions, GetSourceEntryBySourceEntry;

    // Read only after class initialisation, when every constant (and the previous enum) exists.
    private static final int START = VTableSlot.after(IDebugSymbols2Slots.class);

    @Override
    public int slot() {
        return START + ordinal();
    }
}
