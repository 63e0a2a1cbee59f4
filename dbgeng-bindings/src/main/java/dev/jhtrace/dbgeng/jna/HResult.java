package dev.jhtrace.dbgeng.jna;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HRESULT helpers: success tests and readable names. Names cover the codes dbgeng returns in practice;
 * anything else is decoded into its facility and code so a message is never just a number.
 */
public final class HResult {
    public static final int S_OK = 0;
    public static final int S_FALSE = 1;
    public static final int E_NOTIMPL = 0x80004001;
    public static final int E_NOINTERFACE = 0x80004002;
    public static final int E_POINTER = 0x80004003;
    public static final int E_ABORT = 0x80004004;
    public static final int E_FAIL = 0x80004005;
    public static final int E_PENDING = 0x8000000A;
    public static final int E_UNEXPECTED = 0x8000FFFF;
    public static final int E_ACCESSDENIED = 0x80070005;
    public static final int E_HANDLE = 0x80070006;
    public static final int E_OUTOFMEMORY = 0x8007000E;
    public static final int E_INVALIDARG = 0x80070057;
    public static final int E_NOT_SUFFICIENT_BUFFER = 0x8007007A;
    public static final int FACILITY_WIN32 = 7;
    public static final int FACILITY_ITF = 4;
    public static final int FACILITY_NT_BIT = 0x10000000;
    public static final int SEVERITY_ERROR = 1;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(S_OK, "S_OK"),
            Map.entry(S_FALSE, "S_FALSE"),
            Map.entry(E_NOTIMPL, "E_NOTIMPL"),
            Map.entry(E_NOINTERFACE, "E_NOINTERFACE"),
            Map.entry(E_POINTER, "E_POINTER"),
            Map.entry(E_ABORT, "E_ABORT"),
            Map.entry(E_FAIL, "E_FAIL"),
            Map.entry(E_PENDING, "E_PENDING"),
            Map.entry(E_UNEXPECTED, "E_UNEXPECTED"),
            Map.entry(E_ACCESSDENIED, "E_ACCESSDENIED"),
            Map.entry(E_HANDLE, "E_HANDLE"),
            Map.entry(E_OUTOFMEMORY, "E_OUTOFMEMORY"),
            Map.entry(E_INVALIDARG, "E_INVALIDARG"),
            Map.entry(E_NOT_SUFFICIENT_BUFFER, "E_NOT_SUFFICIENT_BUFFER"),
            Map.entry(0x8007001E, "HRESULT_FROM_WIN32(ERROR_READ_FAULT)"),
            Map.entry(0x8007012B, "HRESULT_FROM_WIN32(ERROR_PARTIAL_COPY)"),
            Map.entry(0x80070032, "HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED)"),
            Map.entry(0x80070078, "HRESULT_FROM_WIN32(ERROR_CALL_NOT_IMPLEMENTED)"),
            Map.entry(0x80040205, "E_INTERNALEXCEPTION (dbgeng)"),
            Map.entry(0x80010004, "RPC_E_CANTCALLOUT_INASYNCCALL"),
            Map.entry(0xD0000022, "HRESULT_FROM_NT(STATUS_ACCESS_DENIED)"),
            Map.entry(0xD0000004, "HRESULT_FROM_NT(STATUS_INFO_LENGTH_MISMATCH)"),
            Map.entry(0xD0000008, "HRESULT_FROM_NT(STATUS_INVALID_HANDLE)"));

    /** Win32 error names for HRESULT_FROM_WIN32 codes that have no name of their own above. */
    private static final Map<Integer, String> WIN32_ERRORS = Map.of(
            2, "ERROR_FILE_NOT_FOUND", 3, "ERROR_PATH_NOT_FOUND", 5, "ERROR_ACCESS_DENIED",
            6, "ERROR_INVALID_HANDLE", 87, "ERROR_INVALID_PARAMETER", 122, "ERROR_INSUFFICIENT_BUFFER",
            126, "ERROR_MOD_NOT_FOUND", 193, "ERROR_BAD_EXE_FORMAT", 299, "ERROR_PARTIAL_COPY");

    private HResult() {
    }

    public static boolean succeeded(int hr) {
        return hr >= 0;
    }

    public static boolean failed(int hr) {
        return hr < 0;
    }

    /** {@code HRESULT_FROM_WIN32}: Win32 error codes wrapped in FACILITY_WIN32 (0 stays 0). */
    public static int fromWin32(int error) {
        return error <= 0 ? error : (error & 0xFFFF) | (FACILITY_WIN32 << 16) | 0x80000000;
    }

    /** {@code HRESULT_FROM_NT}: an NTSTATUS with the FACILITY_NT bit set. */
    public static int fromNt(int ntStatus) {
        return ntStatus | FACILITY_NT_BIT;
    }

    /** {@code 0x80070005}: eight hex digits, as Windows tools print HRESULTs. */
    public static String hex(int hr) {
        return String.format("0x%08X", hr);
    }

    /**
     * Every name known for an HRESULT, e.g. {@code E_ACCESSDENIED = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)};
     * for unnamed codes, the facility and code.
     */
    public static String name(int hr) {
        List<String> names = new ArrayList<>();
        String direct = NAMES.get(hr);
        if (direct != null) names.add(direct);
        int facility = (hr >>> 16) & 0x1FFF;
        int code = hr & 0xFFFF;
        if (failed(hr) && (hr & FACILITY_NT_BIT) == 0 && facility == FACILITY_WIN32) {
            String win32 = WIN32_ERRORS.get(code);
            String from = "HRESULT_FROM_WIN32(" + (win32 != null ? win32 : "error " + code) + ")";
            if (direct == null || !direct.equals(from)) names.add(from);
        }
        if (names.isEmpty()) {
            if ((hr & FACILITY_NT_BIT) != 0) {
                names.add("HRESULT_FROM_NT(" + hex(hr & ~FACILITY_NT_BIT) + ")");
            } else {
                names.add((failed(hr) ? "error" : "success") + ", facility " + facility + ", code " + code);
            }
        }
        return String.join(" = ", names);
    }

    /** {@code 0x80004002 (E_NOINTERFACE)}. */
    public static String describe(int hr) {
        return hex(hr) + " (" + name(hr) + ")";
    }
}
