package dev.jhtrace.dbgeng.nt;

import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import com.sun.jna.platform.win32.WinNT.LUID;
import com.sun.jna.platform.win32.WinNT.TOKEN_PRIVILEGES;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.StdCallLibrary;

/**
 * The advapi32 functions that enable SeDebugPrivilege, with jna-platform's types. Declared here rather
 * than through jna-platform's Advapi32 for the reason given in {@link Kernel32Api}: that interface's
 * static instance loads the DLL, so it cannot be mocked off Windows. Failures are told by the return
 * value; the Win32 error is read with {@link WindowsNative#lastError()}.
 */
public interface Advapi32Api extends StdCallLibrary {

    /** Opens the access token of {@code process} (TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY for {@link DebugPrivilege}). */
    boolean OpenProcessToken(HANDLE process, int desiredAccess, HANDLEByReference token);

    /** The LUID of a privilege name such as {@code SeDebugPrivilege} on {@code systemName} (null: this machine). */
    boolean LookupPrivilegeValueW(String systemName, String name, LUID luid);

    /**
     * Enables or disables privileges of a token. Returns true also when a privilege the token does not
     * hold was not enabled: then the last error is ERROR_NOT_ALL_ASSIGNED (documented on AdjustTokenPrivileges).
     */
    boolean AdjustTokenPrivileges(HANDLE token, boolean disableAllPrivileges, TOKEN_PRIVILEGES newState, int bufferLength,
                                  TOKEN_PRIVILEGES previousState, IntByReference returnLength);
}
