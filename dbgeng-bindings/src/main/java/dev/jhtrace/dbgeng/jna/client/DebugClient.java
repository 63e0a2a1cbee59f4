package dev.jhtrace.dbgeng.jna.client;

import com.sun.jna.Pointer;
import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.DebugCreateProcessOptions;

/**
 * The IDebugClient..IDebugClient5 methods jhtrace uses, one Java method per COM method (names keep
 * dbgeng's). Failures throw {@link dev.jhtrace.dbgeng.jna.DbgEngException}. Only the methods marked
 * "any thread" may be called off the thread that created the client.
 */
public interface DebugClient {
    /** Version obtained (IDebugClient5 on any current dbgeng). */
    DbgEngInterface version();

    /** The COM object, for QueryInterface and for passing this client to ExitDispatch. */
    ComObject com();

    /** AttachProcess(Server, ProcessId, AttachFlags); server 0 is the local machine. */
    void attachProcess(long server, int processId, int attachFlags);

    /**
     * CreateProcessAndAttach2Wide (IDebugClient5). {@code options.CreateFlags} must include DEBUG_PROCESS or
     * DEBUG_ONLY_THIS_PROCESS. Null directory and environment inherit the debugger's; the environment is a
     * list of {@code NAME=value} entries, turned into a Windows environment block.
     */
    void createProcessAndAttach2Wide(long server, String commandLine, DebugCreateProcessOptions options,
                                     String initialDirectory, java.util.List<String> environment, int processId, int attachFlags);

    /** OpenDumpFileWide(FileName, FileHandle) (IDebugClient4); handle 0 to open by name. */
    void openDumpFileWide(String fileName, long fileHandle);

    /** DetachProcesses: detach from every process, leaving them running. */
    void detachProcesses();

    /** DetachCurrentProcess (IDebugClient2): detaches the current process only, leaving it running; others stay attached. */
    void detachCurrentProcess();

    /** EndSession(Flags). With DEBUG_END_REENTRANT it may be called from any thread. */
    void endSession(int flags);

    /** SetOutputCallbacksWide (IDebugClient5); null unregisters. */
    void setOutputCallbacksWide(Pointer callbacks);

    /** GetOutputCallbacksWide (IDebugClient5). */
    Pointer getOutputCallbacksWide();

    /** SetEventCallbacksWide (IDebugClient5); null unregisters. */
    void setEventCallbacksWide(Pointer callbacks);

    /** GetEventCallbacksWide (IDebugClient5). */
    Pointer getEventCallbacksWide();

    int getOutputMask();

    void setOutputMask(int mask);

    /** FlushCallbacks: deliver buffered output now. */
    void flushCallbacks();

    /** DispatchCallbacks(Timeout): true when ExitDispatch ended it (S_OK), false on timeout (S_FALSE). */
    boolean dispatchCallbacks(int timeoutMillis);

    /** ExitDispatch(Client), any thread: makes {@code target}'s DispatchCallbacks return. */
    void exitDispatch(DebugClient target);

    /** CreateClient, any thread: a new client owned by the calling thread (its pointer is used, not ignored). */
    DebugClient createClient();

    /** Releases this interface pointer (owning thread). */
    void release();
}
