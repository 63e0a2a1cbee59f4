package dev.jhtrace.dbgeng.jna.callbacks;

import dev.jhtrace.dbgeng.jna.DbgEngConstants;

/**
 * Java side of IDebugEventCallbacksWide. Event methods return a DEBUG_STATUS_* value (NO_CHANGE lets
 * other callbacks and the engine decide); notification methods return nothing. Every method has a
 * default, so a listener implements only what it needs. Runs on the engine thread, inside WaitForEvent
 * or DispatchCallbacks: never block on work that needs the engine thread.
 */
public interface DebugEventListener {
    /** DEBUG_EVENT_* bits dbgeng should deliver. */
    int interestMask();

    default int breakpoint(long breakpointPointer) {
        return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
    }

    default int exception(long exceptionRecordPointer, boolean firstChance) {
        return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
    }

    default int createThread(long handle, long dataOffset, long startOffset) {
        return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
    }

    default int exitThread(int exitCode) {
        return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
    }

    default int createProcess(long baseOffset, int moduleSize, String moduleName, String imageName) {
        return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
    }

    default int exitProcess(int exitCode) {
        return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
    }

    default int loadModule(long baseOffset, int moduleSize, String moduleName, String imageName) {
        return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
    }

    default int unloadModule(String imageBaseName, long baseOffset) {
        return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
    }

    default int systemError(int error, int level) {
        return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
    }

    default void sessionStatus(int status) {
    }

    default void changeDebuggeeState(int flags, long argument) {
    }

    default void changeEngineState(int flags, long argument) {
    }

    default void changeSymbolState(int flags, long argument) {
    }
}
