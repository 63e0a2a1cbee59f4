package dev.jhtrace.dbgeng.jna.symbols;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.ComWrapper;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.ModuleLocation;
import dev.jhtrace.dbgeng.jna.SourceLine;
import dev.jhtrace.dbgeng.jna.SymbolName;
import dev.jhtrace.dbgeng.jna.WideStrings;
import java.lang.ref.Reference;

/** {@link DebugSymbols} over a COM pointer to IDebugSymbols (any version 1..3). */
public final class WrapDebugSymbols extends ComWrapper implements DebugSymbols {

    public WrapDebugSymbols(ComObject com) {
        super(com);
    }

    @Override
    public String getSymbolPathWide() {
        require(DbgEngInterface.IDebugSymbols3, "GetSymbolPathWide");
        return readWide(IDebugSymbols3Slots.GetSymbolPathWide,
                (buf, chars, needed) -> com.invoke(IDebugSymbols3Slots.GetSymbolPathWide, buf, chars, needed));
    }

    @Override
    public void setSymbolPathWide(String path) {
        require(DbgEngInterface.IDebugSymbols3, "SetSymbolPathWide");
        var text = WideStrings.toNative(path);
        com.call(IDebugSymbols3Slots.SetSymbolPathWide, text);
        Reference.reachabilityFence(text);
    }

    @Override
    public void appendSymbolPathWide(String addition) {
        require(DbgEngInterface.IDebugSymbols3, "AppendSymbolPathWide");
        var text = WideStrings.toNative(addition);
        com.call(IDebugSymbols3Slots.AppendSymbolPathWide, text);
        Reference.reachabilityFence(text);
    }

    @Override
    public void reloadWide(String module) {
        require(DbgEngInterface.IDebugSymbols3, "ReloadWide");
        var text = WideStrings.toNative(module == null ? "" : module);
        com.call(IDebugSymbols3Slots.ReloadWide, text);
        Reference.reachabilityFence(text);
    }

    @Override
    public int getSymbolOptions() {
        IntByReference out = new IntByReference();
        com.call(IDebugSymbolsSlots.GetSymbolOptions, out);
        return out.getValue();
    }

    @Override
    public void addSymbolOptions(int options) {
        com.call(IDebugSymbolsSlots.AddSymbolOptions, options);
    }

    @Override
    public SymbolName getNameByOffsetWide(long offset) {
        require(DbgEngInterface.IDebugSymbols3, "GetNameByOffsetWide");
        LongByReference displacement = new LongByReference();
        String name = readWide(IDebugSymbols3Slots.GetNameByOffsetWide, (buf, chars, needed) ->
                com.invoke(IDebugSymbols3Slots.GetNameByOffsetWide, offset, buf, chars, needed, displacement));
        return new SymbolName(name, displacement.getValue());
    }

    @Override
    public SourceLine getLineByOffsetWide(long offset) {
        require(DbgEngInterface.IDebugSymbols3, "GetLineByOffsetWide");
        IntByReference line = new IntByReference();
        LongByReference displacement = new LongByReference();
        String file = readWide(IDebugSymbols3Slots.GetLineByOffsetWide, (buf, chars, needed) ->
                com.invoke(IDebugSymbols3Slots.GetLineByOffsetWide, offset, line, buf, chars, needed, displacement));
        return new SourceLine(file, line.getValue(), displacement.getValue());
    }

    @Override
    public ModuleLocation getModuleByOffset(long offset, int startIndex) {
        IntByReference index = new IntByReference();
        LongByReference base = new LongByReference();
        com.call(IDebugSymbolsSlots.GetModuleByOffset, offset, startIndex, index, base);
        return new ModuleLocation(index.getValue(), base.getValue());
    }

    @Override
    public String getModuleNameStringWide(int which, int index, long base) {
        require(DbgEngInterface.IDebugSymbols3, "GetModuleNameStringWide");
        return readWide(IDebugSymbols3Slots.GetModuleNameStringWide, (buf, chars, needed) ->
                com.invoke(IDebugSymbols3Slots.GetModuleNameStringWide, which, index, base, buf, chars, needed));
    }
}
