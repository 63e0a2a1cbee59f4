package dev.jhtrace.dbgeng.jna.sysobj;

import dev.jhtrace.dbgeng.jna.DbgEngInterface;

/** The IDebugSystemObjects methods jhtrace uses: the current process and thread as the OS knows them. */
public interface DebugSystemObjects {
    DbgEngInterface version();

    /** GetCurrentProcessSystemId: the target's pid. */
    int getCurrentProcessSystemId();

    /** GetCurrentThreadSystemId: the current thread's tid. */
    int getCurrentThreadSystemId();

    /** GetCurrentProcessHandle: dbgeng's handle to the target (ULONG64). */
    long getCurrentProcessHandle();

    /** GetNumberThreads in the current process. */
    int getNumberThreads();

    /** GetCurrentProcessId: the engine's id (not the pid) of the current process. */
    int getCurrentProcessId();

    /** SetCurrentProcessId: makes the process with this engine id current for the calls that follow. */
    void setCurrentProcessId(int engineId);

    /** GetProcessIdBySystemId: the engine id of the attached process with this pid. */
    int getProcessIdBySystemId(int pid);

    void release();
}
