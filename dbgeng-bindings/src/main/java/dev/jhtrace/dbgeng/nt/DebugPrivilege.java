package dev.jhtrace.dbgeng.nt;

import com.sun.jna.platform.win32.WinDef.DWORD;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import com.sun.jna.platform.win32.WinNT.LUID;
import com.sun.jna.platform.win32.WinNT.LUID_AND_ATTRIBUTES;
import com.sun.jna.platform.win32.WinNT.TOKEN_PRIVILEGES;

/**
 * Enables SeDebugPrivilege in this process's token, before any target is opened. Without it:
 * <ul>
 *   <li>recent kernels (Windows 11 24H2, Server 2025) answer a handle-trace query with every stack slot
 *   zero: nothing fails, the stacks are just empty (windows-kernel-facts.md, from the decompiled
 *   NtQueryInformationProcess; research brief §0.5: reading the trace under Restrict-Kernel-Address-Leaks
 *   needs SeDebugPrivilege);</li>
 *   <li>services and other users' processes cannot be opened even from an elevated prompt (OpenProcess
 *   documentation: with SeDebugPrivilege enabled the access is granted whatever the security descriptor says).</li>
 * </ul>
 * An elevated administrator holds the privilege disabled; enabling it is one AdjustTokenPrivileges
 * call, which "succeeds" without assigning anything when the token does not hold it, so the last error
 * (ERROR_NOT_ALL_ASSIGNED) is what tells.
 */
public final class DebugPrivilege {
    private DebugPrivilege() {
    }

    /** What enabling gave. */
    public enum State {
        /** Enabled in this process's token. */
        ENABLED,
        /** The token does not hold it (not elevated, or an account without the right). */
        NOT_HELD,
        /** A call failed; see {@link Outcome#win32Error()}. */
        FAILED
    }

    /**
     * The outcome of {@link #enable}.
     *
     * @param state      what happened
     * @param win32Error the error of the failing call (FAILED), ERROR_NOT_ALL_ASSIGNED (NOT_HELD), else 0
     * @param failedCall the call that failed (FAILED), else null
     */
    public record Outcome(State state, int win32Error, String failedCall) {
        /** The privilege is enabled. */
        public static final Outcome ENABLED = new Outcome(State.ENABLED, 0, null);

        /** True when the privilege is enabled in this process's token. */
        public boolean enabled() {
            return state == State.ENABLED;
        }

        /** One line: what the privilege state means for jhtrace and, unless enabled, how to fix it. */
        public String describe() {
            return switch (state) {
                case ENABLED -> "SeDebugPrivilege enabled";
                case NOT_HELD -> "SeDebugPrivilege is not held by this account (" + ERROR_NOT_ALL_ASSIGNED_TEXT + "): " + CONSEQUENCE
                        + "; run jhtrace from an elevated (administrator) prompt";
                case FAILED -> "SeDebugPrivilege could not be enabled (" + failedCall + " failed, Win32 error " + win32Error + "): "
                        + CONSEQUENCE + "; run jhtrace from an elevated (administrator) prompt";
            };
        }
    }

    private static final String ERROR_NOT_ALL_ASSIGNED_TEXT = "AdjustTokenPrivileges: ERROR_NOT_ALL_ASSIGNED";
    /** What is lost without the privilege. */
    public static final String CONSEQUENCE = "handle-trace stacks come back empty on Windows 11 24H2 / Server 2025 and later, "
            + "and services and other users' processes cannot be opened";

    /** Enables SeDebugPrivilege in this process's token; never throws. */
    public static Outcome enable(WindowsNative nat) {
        HANDLEByReference token = new HANDLEByReference();
        if (!nat.advapi32().OpenProcessToken(nat.kernel32().GetCurrentProcess(), WinNT.TOKEN_ADJUST_PRIVILEGES | WinNT.TOKEN_QUERY, token)) {
            return new Outcome(State.FAILED, nat.lastError().getAsInt(), "OpenProcessToken");
        }
        try {
            LUID luid = new LUID();
            if (!nat.advapi32().LookupPrivilegeValueW(null, WinNT.SE_DEBUG_NAME, luid)) {
                return new Outcome(State.FAILED, nat.lastError().getAsInt(), "LookupPrivilegeValueW");
            }
            TOKEN_PRIVILEGES privileges = new TOKEN_PRIVILEGES(1);
            privileges.Privileges[0] = new LUID_AND_ATTRIBUTES(luid, new DWORD(WinNT.SE_PRIVILEGE_ENABLED));
            if (!nat.advapi32().AdjustTokenPrivileges(token.getValue(), false, privileges, 0, null, null)) {
                return new Outcome(State.FAILED, nat.lastError().getAsInt(), "AdjustTokenPrivileges");
            }
            // success with ERROR_NOT_ALL_ASSIGNED means nothing was enabled: the token does not hold the privilege
            int error = nat.lastError().getAsInt();
            return error == WinError.ERROR_NOT_ALL_ASSIGNED ? new Outcome(State.NOT_HELD, error, null) : Outcome.ENABLED;
        } finally {
            nat.kernel32().CloseHandle(token.getValue());
        }
    }
}
