package dev.jhtrace.dbgeng.nt;

/**
 * The ntdll information classes, access rights and handle-trace values jhtrace uses. Every value is
 * checked by a test against {@code reference/ntdll-constants.tsv}; the names in comments are the C names.
 */
public final class NtConstants {
    private NtConstants() {
    }

    /** PROCESSINFOCLASS ProcessHandleCount. */
    public static final int PROCESS_HANDLE_COUNT = 20;
    /** PROCESSINFOCLASS ProcessHandleTracing: enable (set), disable (zero-length set), read (query). */
    public static final int PROCESS_HANDLE_TRACING = 32;
    /** PROCESSINFOCLASS ProcessHandleInformation: the process's handle table (Windows 8 and later). */
    public static final int PROCESS_HANDLE_INFORMATION = 51;
    /** SYSTEM_INFORMATION_CLASS SystemExtendedHandleInformation: every handle of the system. */
    public static final int SYSTEM_EXTENDED_HANDLE_INFORMATION = 64;
    /** OBJECT_INFORMATION_CLASS ObjectNameInformation. */
    public static final int OBJECT_NAME_INFORMATION = 1;
    /** OBJECT_INFORMATION_CLASS ObjectTypeInformation. */
    public static final int OBJECT_TYPE_INFORMATION = 2;
    /** OBJECT_INFORMATION_CLASS ObjectTypesInformation: every object type of the system. */
    public static final int OBJECT_TYPES_INFORMATION = 3;

    /** PROCESS_HANDLE_TRACING_MAX_STACKS: stack slots per trace entry. */
    public static final int PROCESS_HANDLE_TRACING_MAX_STACKS = 16;
    /** HANDLE_TRACE_DB_OPEN. */
    public static final int HANDLE_TRACE_DB_OPEN = 1;
    /** HANDLE_TRACE_DB_CLOSE. */
    public static final int HANDLE_TRACE_DB_CLOSE = 2;
    /** HANDLE_TRACE_DB_BADREF. */
    public static final int HANDLE_TRACE_DB_BADREF = 3;

    public static final int PROCESS_TERMINATE = 0x0001;
    public static final int PROCESS_VM_READ = 0x0010;
    public static final int PROCESS_DUP_HANDLE = 0x0040;
    public static final int PROCESS_SET_INFORMATION = 0x0200;
    public static final int PROCESS_QUERY_INFORMATION = 0x0400;
    public static final int PROCESS_SUSPEND_RESUME = 0x0800;
    public static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
    public static final int SYNCHRONIZE = 0x00100000;
    public static final int DUPLICATE_CLOSE_SOURCE = 0x1;
    public static final int DUPLICATE_SAME_ACCESS = 0x2;

    /** Win32 ERROR_ACCESS_DENIED (OpenProcess on a process we may not open). */
    public static final int ERROR_ACCESS_DENIED = 5;
    /** Win32 ERROR_INVALID_PARAMETER (OpenProcess on a pid that does not exist). */
    public static final int ERROR_INVALID_PARAMETER = 87;
    /** GetExitCodeProcess value while the process runs (STILL_ACTIVE, equal to STATUS_PENDING). */
    public static final int STILL_ACTIVE = 259;
    /** CreateProcess flag: start with the main thread suspended. */
    public static final int CREATE_SUSPENDED = 0x4;
    /** CreateProcess flag: the environment block is UTF-16. */
    public static final int CREATE_UNICODE_ENVIRONMENT = 0x400;

    /**
     * What jhtrace's own JVM holds a target open with: reading the handle table, the trace, the exit code
     * and the image name all need PROCESS_QUERY_INFORMATION, nothing more (brief §3.1, §4). Enabling or
     * disabling the trace opens the target again with {@link #PROCESS_SET_INFORMATION} for that one call;
     * PROCESS_DUP_HANDLE is asked only by the object-name helper process.
     */
    public static final int READ_ACCESS = PROCESS_QUERY_INFORMATION;
}
