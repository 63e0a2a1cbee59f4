package dev.jhtrace.dbgeng.nt;

import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.doAnswer;

/** Enabling SeDebugPrivilege against the simulated token (AdjustTokenPrivileges' documented success-without-assignment). */
class DebugPrivilegeTest {
    private final SimulatedKernel k = new SimulatedKernel();

    @Test
    void aHeldPrivilegeIsEnabledAndTheTokenClosed() {
        DebugPrivilege.Outcome outcome = DebugPrivilege.enable(k.natives());
        assertEquals(DebugPrivilege.Outcome.ENABLED, outcome);
        assertTrue(k.debugPrivilegeEnabled());
        verify(k.advapi32).OpenProcessToken(any(), eq(WinNT.TOKEN_ADJUST_PRIVILEGES | WinNT.TOKEN_QUERY), any());
        verify(k.advapi32).LookupPrivilegeValueW(isNull(), eq("SeDebugPrivilege"), any());
        verify(k.advapi32).AdjustTokenPrivileges(any(), eq(false), argThat(tp -> tp.PrivilegeCount.intValue() == 1
                && tp.Privileges[0].Attributes.intValue() == WinNT.SE_PRIVILEGE_ENABLED), eq(0), isNull(), isNull());
        verify(k.kernel32).CloseHandle(argThat(h -> h != null && com.sun.jna.Pointer.nativeValue(h.getPointer()) == 0x7070));
    }

    @Test
    void aTokenWithoutThePrivilegeIsToldByTheLastErrorNotTheResult() {
        k.debugPrivilegeHeld = false; // AdjustTokenPrivileges returns TRUE and sets ERROR_NOT_ALL_ASSIGNED
        DebugPrivilege.Outcome outcome = DebugPrivilege.enable(k.natives());
        assertEquals(DebugPrivilege.State.NOT_HELD, outcome.state());
        assertEquals(WinError.ERROR_NOT_ALL_ASSIGNED, outcome.win32Error());
        assertFalse(outcome.enabled());
        assertFalse(k.debugPrivilegeEnabled());
        assertEquals("SeDebugPrivilege is not held by this account (AdjustTokenPrivileges: ERROR_NOT_ALL_ASSIGNED): "
                + DebugPrivilege.CONSEQUENCE + "; run jhtrace from an elevated (administrator) prompt", outcome.describe());
    }

    @Test
    void aFailingCallIsNamedWithItsError() {
        doAnswer(inv -> {
            k.lastError = 5;
            return false;
        }).when(k.advapi32).OpenProcessToken(any(), anyInt(), any());
        DebugPrivilege.Outcome outcome = DebugPrivilege.enable(k.natives());
        assertEquals(new DebugPrivilege.Outcome(DebugPrivilege.State.FAILED, 5, "OpenProcessToken"), outcome);
        assertTrue(outcome.describe().startsWith("SeDebugPrivilege could not be enabled (OpenProcessToken failed, Win32 error 5)"), outcome.describe());
        verify(k.advapi32, never()).AdjustTokenPrivileges(any(), anyBoolean(), any(), anyInt(), any(), any());
    }
}
