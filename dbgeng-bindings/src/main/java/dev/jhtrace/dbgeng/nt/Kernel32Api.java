package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.ShortByReference;
import com.sun.jna.win32.StdCallLibrary;

/**
 * The few kernel32 functions jhtrace needs, with jna-platform's types. Declared here rather than
 * through jna-platform's Kernel32 so that the interface can be mocked on any platform (Kernel32's
 * static instance loads the DLL). Failures are told by the return value, and the Win32 error is read
 * with {@link WindowsNative#lastError()}: not with JNA's LastErrorException, which also fires when a
 * call that succeeded left an error code behind (CreateProcess does while it searches the path).
 */
public interface Kernel32Api extends StdCallLibrary {

    HANDLE OpenProcess(int desiredAccess, boolean inheritHandle, int processId);

    boolean CloseHandle(HANDLE handle);

    /** The pseudo handle of this process (no need to close it). */
    HANDLE GetCurrentProcess();

    boolean GetExitCodeProcess(HANDLE process, IntByReference exitCode);

    /** The image path; {@code size} is the buffer length in characters on input and the path length on output. */
    boolean QueryFullProcessImageNameW(HANDLE process, int flags, char[] exeName, IntByReference size);

    boolean CreateProcessW(String applicationName, char[] commandLine, WinBase.SECURITY_ATTRIBUTES processAttributes,
                           WinBase.SECURITY_ATTRIBUTES threadAttributes, boolean inheritHandles, int creationFlags,
                           Pointer environment, String currentDirectory, WinBase.STARTUPINFO startupInfo,
                           WinBase.PROCESS_INFORMATION processInformation);

    /**
     * One of this process's standard handles ({@link StdHandles#STD_INPUT_HANDLE} …): INVALID_HANDLE_VALUE on
     * failure, NULL when the process has none. Not to be closed.
     */
    HANDLE GetStdHandle(int stdHandle);

    /** -1 on failure. */
    int ResumeThread(HANDLE thread);

    /**
     * Windows 10 1511 and later: {@code processMachine} is IMAGE_FILE_MACHINE_UNKNOWN (0) for a native
     * process, else the machine the WoW64 process emulates (0x014c for x86). Missing on older Windows.
     */
    boolean IsWow64Process2(HANDLE process, ShortByReference processMachine, ShortByReference nativeMachine);

    /** The older form: {@code wow64} is non-zero for a 32-bit process on 64-bit Windows. */
    boolean IsWow64Process(HANDLE process, IntByReference wow64);
}
