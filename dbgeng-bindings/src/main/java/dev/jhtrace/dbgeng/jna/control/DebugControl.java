package dev.jhtrace.dbgeng.jna.control;

import dev.jhtrace.dbgeng.jna.DbgEngInterface;

/**
 * The IDebugControl..IDebugControl4 methods jhtrace uses. OutputWide and the other printf-style methods
 * are variadic and deliberately not bound: engine output is produced with ExecuteWide instead.
 */
public interface DebugControl {
    DbgEngInterface version();

    /** SetInterrupt(Flags), any thread: breaks into a WaitForEvent or a running command. */
    void setInterrupt(int flags);

    /** GetExecutionStatus: a DEBUG_STATUS_* value (a ULONG; the 64-bit DEBUG_STATUS_INSIDE_WAIT flag only appears in ChangeEngineState arguments). */
    long getExecutionStatus();

    /** WaitForEvent(Flags, Timeout): true when an event arrived (S_OK), false on timeout (S_FALSE). */
    boolean waitForEvent(int flags, int timeoutMillis);

    /** ExecuteWide(OutputControl, Command, Flags) (IDebugControl4). */
    void executeWide(int outputControl, String command, int flags);

    /** IsPointer64Bit: whether the target uses 64-bit pointers. */
    boolean isPointer64Bit();

    /** GetActualProcessorType: an IMAGE_FILE_MACHINE_* value. */
    int getActualProcessorType();

    void release();
}
