package dev.jhtrace.dbgeng.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.jhtrace.dbgeng.jna.DbgEngConstants;
import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.dbgeng.jna.ModuleLocation;
import dev.jhtrace.dbgeng.jna.SourceLine;
import dev.jhtrace.dbgeng.jna.SymbolName;
import dev.jhtrace.dbgeng.jna.symbols.DebugSymbols;
import dev.jhtrace.model.StackFrame;
import org.junit.jupiter.api.Test;

class DbgEngSymbolsTest {
    private final DebugSymbols symbols = mock(DebugSymbols.class);

    @Test
    void nameAndLine() {
        when(symbols.getNameByOffsetWide(0x7ff6_1000_2345L)).thenReturn(new SymbolName("leaky!CServer::GetToken", 0x45));
        when(symbols.getLineByOffsetWide(0x7ff6_1000_2345L)).thenReturn(new SourceLine("c:\\src\\server.cpp", 417, 2));
        StackFrame f = DbgEngSymbols.resolve(symbols, StackFrame.unresolved(0x7ff6_1000_2345L));
        assertEquals(new StackFrame(0x7ff6_1000_2345L, "leaky", "CServer::GetToken", 0x45L, "c:\\src\\server.cpp", 417), f);
        assertEquals("leaky!CServer::GetToken+0x45 [c:\\src\\server.cpp @ 417]", f.toString());
    }

    @Test
    void noSymbolFallsBackToModulePlusOffset() {
        when(symbols.getNameByOffsetWide(anyLong())).thenThrow(new DbgEngException("GetNameByOffsetWide", HResult.E_FAIL));
        when(symbols.getLineByOffsetWide(anyLong())).thenThrow(new DbgEngException("GetLineByOffsetWide", HResult.E_FAIL));
        when(symbols.getModuleByOffset(0x7ffb_0002_0010L, 0)).thenReturn(new ModuleLocation(3, 0x7ffb_0000_0000L));
        when(symbols.getModuleNameStringWide(DbgEngConstants.DEBUG_MODNAME_MODULE, 3, 0x7ffb_0000_0000L)).thenReturn("stripped");
        StackFrame f = DbgEngSymbols.resolve(symbols, StackFrame.unresolved(0x7ffb_0002_0010L));
        assertEquals("stripped+0x20010", f.symbol());
        assertNull(f.function());
    }

    @Test
    void nothingKnownKeepsTheFrameAsItWas() {
        when(symbols.getNameByOffsetWide(anyLong())).thenThrow(new DbgEngException("GetNameByOffsetWide", HResult.E_FAIL));
        when(symbols.getLineByOffsetWide(anyLong())).thenThrow(new DbgEngException("GetLineByOffsetWide", HResult.E_FAIL));
        when(symbols.getModuleByOffset(anyLong(), anyInt())).thenThrow(new DbgEngException("GetModuleByOffset", HResult.E_INVALIDARG));
        StackFrame known = new StackFrame(0x1234, "fromtrace", null, 0x34L, "a.c", 3);
        assertEquals(known, DbgEngSymbols.resolve(symbols, known));
    }

    @Test
    void parsingDbgengNames() {
        assertEquals(new StackFrame(1, "ntdll", "NtCreateFile", 0x14L, null, null), DbgEngSymbols.parse(1, "ntdll!NtCreateFile", 0x14));
        assertEquals(new StackFrame(1, "ntdll", null, 0x9a0L, null, null), DbgEngSymbols.parse(1, "ntdll", 0x9a0));
        assertEquals(new StackFrame(1, "app", "ns::C<int>::f", 0x10L, null, null), DbgEngSymbols.parse(1, "app!ns::C<int>::f+0x10", 0));
        assertEquals(new StackFrame(1, "app", "operator+", 0L, null, null), DbgEngSymbols.parse(1, "app!operator+", 0));
    }
}
