package dev.jhtrace.dbgeng.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jhtrace.spi.Failure;
import org.junit.jupiter.api.Test;

/** HRESULTs turned into messages a user can act on. */
class HResultTest {

    @Test
    void knownNames() {
        assertEquals("0x80004002 (E_NOINTERFACE)", HResult.describe(HResult.E_NOINTERFACE));
        assertEquals("0x80070005 (E_ACCESSDENIED = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED))",
                HResult.describe(HResult.fromWin32(5)));
        assertEquals("0x8000FFFF (E_UNEXPECTED)", HResult.describe(HResult.E_UNEXPECTED));
        assertEquals("0x00000001 (S_FALSE)", HResult.describe(HResult.S_FALSE));
    }

    @Test
    void win32AndNtCodesWithoutOwnNameAreDecoded() {
        assertEquals("0x80070002 (HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND))", HResult.describe(HResult.fromWin32(2)));
        assertEquals("0x800704C7 (HRESULT_FROM_WIN32(error 1223))", HResult.describe(HResult.fromWin32(1223)));
        assertEquals("0xD0000008 (HRESULT_FROM_NT(STATUS_INVALID_HANDLE))", HResult.describe(HResult.fromNt(0xC0000008)));
        assertEquals("0xD0000135 (HRESULT_FROM_NT(0xC0000135))", HResult.describe(HResult.fromNt(0xC0000135)));
        assertEquals("0x80040155 (error, facility 4, code 341)", HResult.describe(0x80040155));
    }

    @Test
    void successAndFailure() {
        assertTrue(HResult.succeeded(HResult.S_FALSE));
        assertFalse(HResult.failed(HResult.S_OK));
        assertTrue(HResult.failed(HResult.E_FAIL));
        assertEquals(0, HResult.fromWin32(0));
    }

    @Test
    void exceptionNamesMethodCodeAndFailureClass() {
        DbgEngException e = new DbgEngException("IDebugClient5.OpenDumpFileWide", HResult.fromWin32(2), "check the path");
        assertEquals("IDebugClient5.OpenDumpFileWide failed: HRESULT 0x80070002 (HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)); check the path",
                e.getMessage());
        assertEquals(Failure.OTHER, e.failure());
        assertEquals(Failure.PERMISSION_DENIED, new DbgEngException("x", HResult.E_ACCESSDENIED).failure());
        assertEquals(Failure.PERMISSION_DENIED, new DbgEngException("x", HResult.fromNt(0xC0000022)).failure());
        assertEquals(Failure.ENGINE_UNAVAILABLE, new DbgEngException("x", HResult.E_NOINTERFACE).failure());
        assertTrue(new DbgEngException("x", HResult.E_NOINTERFACE).isNoInterface());
        assertEquals(HResult.S_FALSE, DbgEngException.check("m", HResult.S_FALSE));
    }
}
