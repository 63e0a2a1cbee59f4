package dev.jhtrace.dbgeng.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InterfaceNegotiationTest {
    private static final String DLL = "C:\\Debuggers\\x64\\dbgeng.dll 10.0.22621.1";

    @Test
    void asksNewestFirstAndFallsBackInListOrder() {
        List<DbgEngInterface> asked = new ArrayList<>();
        Set<DbgEngInterface> offered = Set.of(DbgEngInterface.IDebugClient3, DbgEngInterface.IDebugClient);
        var outcome = InterfaceNegotiation.negotiate(DbgEngInterface.CLIENT_NEWEST_FIRST, v -> {
            asked.add(v);
            if (!offered.contains(v)) throw new DbgEngException("DebugCreate(" + v + ")", HResult.E_NOINTERFACE);
            return "client" + v.version();
        }, DLL);
        assertEquals(List.of(DbgEngInterface.IDebugClient5, DbgEngInterface.IDebugClient4, DbgEngInterface.IDebugClient3), asked);
        assertSame(DbgEngInterface.IDebugClient3, outcome.chosen());
        assertEquals("client3", outcome.value());
        assertEquals("IDebugClient3 (IDebugClient5, IDebugClient4 not offered)", outcome.describe());
    }

    @Test
    void newestAnsweringMeansNoFallback() {
        var outcome = InterfaceNegotiation.negotiate(DbgEngInterface.CONTROL_NEWEST_FIRST, v -> v, DLL);
        assertSame(DbgEngInterface.IDebugControl4, outcome.chosen());
        assertEquals("IDebugControl4", outcome.describe());
    }

    @Test
    void otherFailuresAreNotMaskedByOlderVersions() {
        List<DbgEngInterface> asked = new ArrayList<>();
        DbgEngException e = assertThrows(DbgEngException.class, () -> InterfaceNegotiation.negotiate(
                DbgEngInterface.SYMBOLS_NEWEST_FIRST, v -> {
                    asked.add(v);
                    throw new DbgEngException("IDebugClient5.QueryInterface(" + v + ")", HResult.E_ACCESSDENIED);
                }, DLL));
        assertEquals(List.of(DbgEngInterface.IDebugSymbols3), asked);
        assertEquals(Failure.PERMISSION_DENIED, e.failure());
    }

    @Test
    void nothingOfferedNamesTheDllAndEveryVersion() {
        JhtraceException e = assertThrows(JhtraceException.class, () -> InterfaceNegotiation.negotiate(
                DbgEngInterface.DATA_SPACES_NEWEST_FIRST, v -> {
                    throw new DbgEngException("QueryInterface", HResult.E_NOINTERFACE);
                }, DLL));
        assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
        assertTrue(e.getMessage().startsWith(DLL + " offers none of IDebugDataSpaces2, IDebugDataSpaces"), e.getMessage());
    }
}
