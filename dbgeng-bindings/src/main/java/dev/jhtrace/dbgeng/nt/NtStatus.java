package dev.jhtrace.dbgeng.nt;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.util.Map;

/**
 * NTSTATUS values jhtrace meets, with readable names and the {@link Failure} each one maps to.
 * Values are Java {@code int}s, so error codes are negative, as C evaluates them.
 */
public final class NtStatus {
    private NtStatus() {
    }

    public static final int STATUS_SUCCESS = 0;
    public static final int STATUS_PENDING = 0x00000103;
    public static final int STATUS_BUFFER_OVERFLOW = 0x80000005;
    public static final int STATUS_PARTIAL_COPY = 0x8000000D;
    public static final int STATUS_NO_MORE_ENTRIES = 0x8000001A;
    public static final int STATUS_UNSUCCESSFUL = 0xC0000001;
    public static final int STATUS_NOT_IMPLEMENTED = 0xC0000002;
    public static final int STATUS_INVALID_INFO_CLASS = 0xC0000003;
    public static final int STATUS_INFO_LENGTH_MISMATCH = 0xC0000004;
    public static final int STATUS_INVALID_HANDLE = 0xC0000008;
    public static final int STATUS_INVALID_PARAMETER = 0xC000000D;
    public static final int STATUS_NO_MEMORY = 0xC0000017;
    public static final int STATUS_ACCESS_DENIED = 0xC0000022;
    public static final int STATUS_BUFFER_TOO_SMALL = 0xC0000023;
    public static final int STATUS_OBJECT_TYPE_MISMATCH = 0xC0000024;
    public static final int STATUS_INSUFFICIENT_RESOURCES = 0xC000009A;
    public static final int STATUS_NOT_SUPPORTED = 0xC00000BB;
    public static final int STATUS_PROCESS_IS_TERMINATING = 0xC000010A;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(STATUS_SUCCESS, "STATUS_SUCCESS"),
            Map.entry(STATUS_PENDING, "STATUS_PENDING"),
            Map.entry(STATUS_BUFFER_OVERFLOW, "STATUS_BUFFER_OVERFLOW"),
            Map.entry(STATUS_PARTIAL_COPY, "STATUS_PARTIAL_COPY"),
            Map.entry(STATUS_NO_MORE_ENTRIES, "STATUS_NO_MORE_ENTRIES"),
            Map.entry(STATUS_UNSUCCESSFUL, "STATUS_UNSUCCESSFUL"),
            Map.entry(STATUS_NOT_IMPLEMENTED, "STATUS_NOT_IMPLEMENTED"),
            Map.entry(STATUS_INVALID_INFO_CLASS, "STATUS_INVALID_INFO_CLASS"),
            Map.entry(STATUS_INFO_LENGTH_MISMATCH, "STATUS_INFO_LENGTH_MISMATCH"),
            Map.entry(STATUS_INVALID_HANDLE, "STATUS_INVALID_HANDLE"),
            Map.entry(STATUS_INVALID_PARAMETER, "STATUS_INVALID_PARAMETER"),
            Map.entry(STATUS_NO_MEMORY, "STATUS_NO_MEMORY"),
            Map.entry(STATUS_ACCESS_DENIED, "STATUS_ACCESS_DENIED"),
            Map.entry(STATUS_BUFFER_TOO_SMALL, "STATUS_BUFFER_TOO_SMALL"),
            Map.entry(STATUS_OBJECT_TYPE_MISMATCH, "STATUS_OBJECT_TYPE_MISMATCH"),
            Map.entry(STATUS_INSUFFICIENT_RESOURCES, "STATUS_INSUFFICIENT_RESOURCES"),
            Map.entry(STATUS_NOT_SUPPORTED, "STATUS_NOT_SUPPORTED"),
            Map.entry(STATUS_PROCESS_IS_TERMINATING, "STATUS_PROCESS_IS_TERMINATING"));

    /** True for success and informational codes (severity bits 00 or 01). */
    public static boolean isSuccess(int status) {
        return status >= 0;
    }

    /** {@code STATUS_ACCESS_DENIED (0xC0000022)}, or just the hex value for codes jhtrace does not name. */
    public static String describe(int status) {
        String hex = String.format("0x%08X", status);
        String name = NAMES.get(status);
        return name == null ? hex : name + " (" + hex + ")";
    }

    /** What a failed status means for the user's exit code. */
    public static Failure failureOf(int status) {
        return switch (status) {
            case STATUS_ACCESS_DENIED -> Failure.PERMISSION_DENIED;
            case STATUS_PROCESS_IS_TERMINATING -> Failure.TARGET_NOT_FOUND;
            case STATUS_NOT_IMPLEMENTED, STATUS_INVALID_INFO_CLASS, STATUS_NOT_SUPPORTED -> Failure.ENGINE_UNAVAILABLE;
            default -> Failure.OTHER;
        };
    }

    /** A one-line error for a failed call: {@code what} failed with the named status, plus a hint where one helps. */
    public static JhtraceException error(String what, int status) {
        Failure failure = failureOf(status);
        String hint = switch (failure) {
            case PERMISSION_DENIED -> ": run jhtrace elevated (as administrator, with SeDebugPrivilege) or as the target's user";
            case TARGET_NOT_FOUND -> ": the process is exiting";
            case ENGINE_UNAVAILABLE -> ": this Windows version does not support it";
            default -> "";
        };
        return new JhtraceException(failure, what + " failed with " + describe(status) + hint);
    }

    /** Throws {@link #error} unless {@code status} is a success code. */
    public static void check(String what, int status) {
        if (!isSuccess(status)) throw error(what, status);
    }
}
