package dev.jhtrace.dbgeng.nt;

import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.ShortByReference;

/**
 * Whether a target is a 32-bit process on 64-bit Windows, and what that means for its handle trace.
 * The kernel captures a trace entry's stack in kernel mode and walks the user stack it finds there:
 * for a WoW64 process that is the native 64-bit stack (ntdll, wow64, wow64win, wow64cpu) at the
 * transition out of the emulated code, so the 32-bit frames that opened the handle are not in the entry
 * (windows-kernel-facts.md, "WoW64 targets", marked likely; research brief §3.5 leaves it to be verified
 * on a real system). jhtrace decodes what is there and says why no leaking frame can be named.
 */
public final class Wow64 {
    private Wow64() {
    }

    /** IMAGE_FILE_MACHINE_UNKNOWN: what IsWow64Process2 answers for a native process. */
    static final short IMAGE_FILE_MACHINE_UNKNOWN = 0;

    /** True for a WoW64 process (IsWow64Process2, or IsWow64Process before Windows 10 1511); false when it cannot tell. */
    public static boolean isWow64(Kernel32Api kernel32, HANDLE process) {
        try {
            ShortByReference processMachine = new ShortByReference();
            ShortByReference nativeMachine = new ShortByReference();
            if (kernel32.IsWow64Process2(process, processMachine, nativeMachine)) return processMachine.getValue() != IMAGE_FILE_MACHINE_UNKNOWN;
        } catch (UnsatisfiedLinkError older) {
            // IsWow64Process2 is missing before Windows 10 1511
        }
        IntByReference wow64 = new IntByReference();
        return kernel32.IsWow64Process(process, wow64) && wow64.getValue() != 0;
    }

    /** The one line said about a WoW64 target: what its stacks hold, and what to do instead. */
    public static String warning(int pid) {
        return "process " + pid + " is a 32-bit (WoW64) process: its handle-trace stacks hold only the native 64-bit frames "
                + "(ntdll, wow64, wow64cpu), not the 32-bit code that opened the handles, so no leaking frame can be named; "
                + "the counts and the outstanding handles still hold. To see the 32-bit callers, record handle events with WPR "
                + "(wpr -start Handle), whose stack walks include 32-bit frames, or trace a 64-bit build of the program";
    }
}
