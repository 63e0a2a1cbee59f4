package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.StdCallLibrary;

/**
 * The ntdll functions jhtrace calls (jna-platform's NtDll has none of them), with jna-platform's handle
 * types. Every function returns an NTSTATUS (see {@link NtStatus}). Buffers are raw memory decoded
 * through {@link NtLayout}. It does not extend jna-platform's NtDll, whose static instance loads the
 * DLL and stops Mockito from mocking this type off Windows; load it with {@link WindowsNative#load()}.
 */
public interface Ntdll extends StdCallLibrary {

    /** Reads a PROCESSINFOCLASS; {@code returnLength} receives the size needed. */
    int NtQueryInformationProcess(HANDLE process, int infoClass, Pointer info, int infoLength, IntByReference returnLength);

    /** Sets a PROCESSINFOCLASS; a zero-length {@link NtConstants#PROCESS_HANDLE_TRACING} set disables tracing. */
    int NtSetInformationProcess(HANDLE process, int infoClass, Pointer info, int infoLength);

    /** Reads a SYSTEM_INFORMATION_CLASS. */
    int NtQuerySystemInformation(int infoClass, Pointer info, int infoLength, IntByReference returnLength);

    /** Reads an OBJECT_INFORMATION_CLASS of a handle (null handle for {@link NtConstants#OBJECT_TYPES_INFORMATION}). */
    int NtQueryObject(HANDLE handle, int infoClass, Pointer info, int infoLength, IntByReference returnLength);

    /** Copies a handle between processes. */
    int NtDuplicateObject(HANDLE sourceProcess, HANDLE sourceHandle, HANDLE targetProcess, HANDLEByReference targetHandle,
                          int desiredAccess, int handleAttributes, int options);

    /** Closes a handle of this process. */
    int NtClose(HANDLE handle);
}
