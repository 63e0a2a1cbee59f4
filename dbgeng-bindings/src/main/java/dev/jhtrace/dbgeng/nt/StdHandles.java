package dev.jhtrace.dbgeng.nt;

/**
 * The Win32 constants for giving a launched program standard handles. Not in the reference tables (which
 * hold the ntdll and dbgeng values), so the test checks them against jna-platform's WinBase and Wincon;
 * kept here rather than used from those interfaces so that every Win32 value jhtrace passes is named in
 * one package.
 */
public final class StdHandles {
    /** STARTUPINFO.dwFlags: hStdInput, hStdOutput and hStdError are used (WinBase.h). */
    public static final int STARTF_USESTDHANDLES = 0x100;
    /** GetStdHandle: standard input ((DWORD)-10, WinBase.h / processenv.h). */
    public static final int STD_INPUT_HANDLE = -10;
    /** GetStdHandle: standard error ((DWORD)-12). */
    public static final int STD_ERROR_HANDLE = -12;

    private StdHandles() {
    }
}
