package dev.jhtrace.dbgeng.jna;

/**
 * DbgEng.h constants used by jhtrace. ULONG flags are Java {@code int} (ULONG is 32-bit on Windows even
 * where C {@code long} is 64-bit), so 0xFFFFFFFF values read as -1; the two DEBUG_STATUS flags that live
 * above bit 31 are {@code long}. Every field is checked by name against the reference constants table.
 */
public final class DbgEngConstants {
    private DbgEngConstants() {
    }

    // AttachProcess flags
    public static final int DEBUG_ATTACH_DEFAULT = 0;
    public static final int DEBUG_ATTACH_NONINVASIVE = 0x00000001;
    public static final int DEBUG_ATTACH_EXISTING = 0x00000002;
    public static final int DEBUG_ATTACH_NONINVASIVE_NO_SUSPEND = 0x00000004;
    public static final int DEBUG_ATTACH_INVASIVE_NO_INITIAL_BREAK = 0x00000008;
    public static final int DEBUG_ATTACH_INVASIVE_RESUME_PROCESS = 0x00000010;
    public static final int DEBUG_ATTACH_NONINVASIVE_ALLOW_PARTIAL = 0x00000020;

    // CreateProcess2 options (DEBUG_CREATE_PROCESS_OPTIONS.EngCreateFlags) and Win32 creation flags
    public static final int DEBUG_ECREATE_PROCESS_DEFAULT = 0;
    public static final int DEBUG_ECREATE_PROCESS_INHERIT_HANDLES = 0x00000001;
    public static final int DEBUG_PROCESS = 0x00000001;
    public static final int DEBUG_ONLY_THIS_PROCESS = 0x00000002;
    public static final int CREATE_SUSPENDED = 0x00000004;
    public static final int CREATE_NEW_CONSOLE = 0x00000010;
    public static final int CREATE_UNICODE_ENVIRONMENT = 0x00000400;
    public static final int CREATE_NO_WINDOW = 0x08000000;

    // EndSession flags
    public static final int DEBUG_END_PASSIVE = 0;
    public static final int DEBUG_END_ACTIVE_TERMINATE = 1;
    public static final int DEBUG_END_ACTIVE_DETACH = 2;
    public static final int DEBUG_END_REENTRANT = 3;
    public static final int DEBUG_END_DISCONNECT = 4;

    // Output mask bits
    public static final int DEBUG_OUTPUT_NORMAL = 0x00000001;
    public static final int DEBUG_OUTPUT_ERROR = 0x00000002;
    public static final int DEBUG_OUTPUT_WARNING = 0x00000004;
    public static final int DEBUG_OUTPUT_VERBOSE = 0x00000008;
    public static final int DEBUG_OUTPUT_PROMPT = 0x00000010;
    public static final int DEBUG_OUTPUT_PROMPT_REGISTERS = 0x00000020;
    public static final int DEBUG_OUTPUT_EXTENSION_WARNING = 0x00000040;
    public static final int DEBUG_OUTPUT_DEBUGGEE = 0x00000080;
    public static final int DEBUG_OUTPUT_DEBUGGEE_PROMPT = 0x00000100;
    public static final int DEBUG_OUTPUT_SYMBOLS = 0x00000200;
    public static final int DEBUG_OUTPUT_STATUS = 0x00000400;

    // Output control for Execute
    public static final int DEBUG_OUTCTL_THIS_CLIENT = 0;
    public static final int DEBUG_OUTCTL_ALL_CLIENTS = 1;
    public static final int DEBUG_OUTCTL_ALL_OTHER_CLIENTS = 2;
    public static final int DEBUG_OUTCTL_IGNORE = 3;
    public static final int DEBUG_OUTCTL_NOT_LOGGED = 8;
    public static final int DEBUG_OUTCTL_AMBIENT = 0xFFFFFFFF;

    // Execute flags
    public static final int DEBUG_EXECUTE_DEFAULT = 0;
    public static final int DEBUG_EXECUTE_ECHO = 0x00000001;
    public static final int DEBUG_EXECUTE_NOT_LOGGED = 0x00000002;
    public static final int DEBUG_EXECUTE_NO_REPEAT = 0x00000004;

    // Execution status
    public static final int DEBUG_STATUS_NO_CHANGE = 0;
    public static final int DEBUG_STATUS_GO = 1;
    public static final int DEBUG_STATUS_GO_HANDLED = 2;
    public static final int DEBUG_STATUS_GO_NOT_HANDLED = 3;
    public static final int DEBUG_STATUS_STEP_OVER = 4;
    public static final int DEBUG_STATUS_STEP_INTO = 5;
    public static final int DEBUG_STATUS_BREAK = 6;
    public static final int DEBUG_STATUS_NO_DEBUGGEE = 7;
    public static final int DEBUG_STATUS_STEP_BRANCH = 8;
    public static final int DEBUG_STATUS_IGNORE_EVENT = 9;
    public static final int DEBUG_STATUS_RESTART_REQUESTED = 10;
    public static final int DEBUG_STATUS_OUT_OF_SYNC = 15;
    public static final int DEBUG_STATUS_WAIT_INPUT = 16;
    public static final int DEBUG_STATUS_TIMEOUT = 17;
    public static final int DEBUG_STATUS_MASK = 0x1F;
    /** 64-bit flag: GetExecutionStatus can OR it in (DEBUG_STATUS_INSIDE_WAIT is above bit 31). */
    public static final long DEBUG_STATUS_INSIDE_WAIT = 0x100000000L;
    public static final long DEBUG_STATUS_WAIT_TIMEOUT = 0x200000000L;

    // SetInterrupt flags
    public static final int DEBUG_INTERRUPT_ACTIVE = 0;
    public static final int DEBUG_INTERRUPT_PASSIVE = 1;
    public static final int DEBUG_INTERRUPT_EXIT = 2;

    // WaitForEvent
    public static final int DEBUG_WAIT_DEFAULT = 0;
    public static final int INFINITE = 0xFFFFFFFF;

    /** "Any" for ids and indices; 0xFFFFFFFF as a ULONG. */
    public static final int DEBUG_ANY_ID = 0xFFFFFFFF;

    // ReadHandleData data types
    public static final int DEBUG_HANDLE_DATA_TYPE_BASIC = 0;
    public static final int DEBUG_HANDLE_DATA_TYPE_TYPE_NAME = 1;
    public static final int DEBUG_HANDLE_DATA_TYPE_OBJECT_NAME = 2;
    public static final int DEBUG_HANDLE_DATA_TYPE_HANDLE_COUNT = 3;
    public static final int DEBUG_HANDLE_DATA_TYPE_TYPE_NAME_WIDE = 4;
    public static final int DEBUG_HANDLE_DATA_TYPE_OBJECT_NAME_WIDE = 5;

    // Event interest mask
    public static final int DEBUG_EVENT_BREAKPOINT = 0x00000001;
    public static final int DEBUG_EVENT_EXCEPTION = 0x00000002;
    public static final int DEBUG_EVENT_CREATE_THREAD = 0x00000004;
    public static final int DEBUG_EVENT_EXIT_THREAD = 0x00000008;
    public static final int DEBUG_EVENT_CREATE_PROCESS = 0x00000010;
    public static final int DEBUG_EVENT_EXIT_PROCESS = 0x00000020;
    public static final int DEBUG_EVENT_LOAD_MODULE = 0x00000040;
    public static final int DEBUG_EVENT_UNLOAD_MODULE = 0x00000080;
    public static final int DEBUG_EVENT_SYSTEM_ERROR = 0x00000100;
    public static final int DEBUG_EVENT_SESSION_STATUS = 0x00000200;
    public static final int DEBUG_EVENT_CHANGE_DEBUGGEE_STATE = 0x00000400;
    public static final int DEBUG_EVENT_CHANGE_ENGINE_STATE = 0x00000800;
    public static final int DEBUG_EVENT_CHANGE_SYMBOL_STATE = 0x00001000;

    // Debuggee class
    public static final int DEBUG_CLASS_UNINITIALIZED = 0;
    public static final int DEBUG_CLASS_KERNEL = 1;
    public static final int DEBUG_CLASS_USER_WINDOWS = 2;

    // Symbol options (DbgHelp)
    public static final int SYMOPT_CASE_INSENSITIVE = 0x00000001;
    public static final int SYMOPT_UNDNAME = 0x00000002;
    public static final int SYMOPT_DEFERRED_LOADS = 0x00000004;
    public static final int SYMOPT_LOAD_LINES = 0x00000010;
    public static final int SYMOPT_FAIL_CRITICAL_ERRORS = 0x00000200;
    public static final int SYMOPT_NO_PROMPTS = 0x00080000;

    /**
     * GetModuleNameString "Which" values. The reference table does not cover the DEBUG_MODNAME_* prefix,
     * so these four are not checked against it.
     */
    public static final int DEBUG_MODNAME_IMAGE = 0;
    public static final int DEBUG_MODNAME_MODULE = 1;
    public static final int DEBUG_MODNAME_LOADED_IMAGE = 2;
    public static final int DEBUG_MODNAME_SYMBOL_FILE = 3;
}
