package dev.jhtrace.dbgeng.jna.symbols;

import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.ModuleLocation;
import dev.jhtrace.dbgeng.jna.SourceLine;
import dev.jhtrace.dbgeng.jna.SymbolName;

/** The IDebugSymbols..IDebugSymbols3 methods jhtrace uses; the *Wide ones need IDebugSymbols3. */
public interface DebugSymbols {
    DbgEngInterface version();

    /** GetSymbolPathWide. */
    String getSymbolPathWide();

    /** SetSymbolPathWide, e.g. {@code srv*C:\symbols*<server>}. */
    void setSymbolPathWide(String path);

    /** AppendSymbolPathWide. */
    void appendSymbolPathWide(String addition);

    /** ReloadWide(Module): {@code ""} reloads everything, {@code "/f ntdll.dll"} forces one module. */
    void reloadWide(String module);

    int getSymbolOptions();

    void addSymbolOptions(int options);

    /** GetNameByOffsetWide: {@code module!function} and the displacement. */
    SymbolName getNameByOffsetWide(long offset);

    /** GetLineByOffsetWide: source file, line and displacement. */
    SourceLine getLineByOffsetWide(long offset);

    /** GetModuleByOffset(Offset, StartIndex). */
    ModuleLocation getModuleByOffset(long offset, int startIndex);

    /** GetModuleNameStringWide(Which, Index, Base); pass DEBUG_ANY_ID as index to look up by base. */
    String getModuleNameStringWide(int which, int index, long base);

    void release();
}
