package dev.jhtrace.dbgeng.nt;

import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.Wincon;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reference tables lack these Win32 values, so they are checked against jna-platform's. */
class StdHandlesTest {
    @Test
    void theValuesAreJnaPlatforms() {
        assertEquals(WinBase.STARTF_USESTDHANDLES, StdHandles.STARTF_USESTDHANDLES);
        assertEquals(0x100, StdHandles.STARTF_USESTDHANDLES);
        assertEquals(Wincon.STD_INPUT_HANDLE, StdHandles.STD_INPUT_HANDLE);
        assertEquals(-10, StdHandles.STD_INPUT_HANDLE);
        assertEquals(Wincon.STD_ERROR_HANDLE, StdHandles.STD_ERROR_HANDLE);
        assertEquals(-12, StdHandles.STD_ERROR_HANDLE);
    }
}
