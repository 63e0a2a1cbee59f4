package dev.jhtrace.dbgeng.jna.client;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.ComWrapper;
import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.DebugCreateProcessOptions;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.dbgeng.jna.WideStrings;
import java.lang.ref.Reference;

/** {@link DebugClient} over a COM pointer to IDebugClient (any version 1..5). */
public final class WrapDebugClient extends ComWrapper implements DebugClient {

    public WrapDebugClient(ComObject com) {
        super(com);
    }

    @Override
    public void attachProcess(long server, int processId, int attachFlags) {
        com.call(IDebugClientSlots.AttachProcess, server, processId, attachFlags);
    }

    @Override
    public void createProcessAndAttach2Wide(long server, String commandLine, DebugCreateProcessOptions options,
                                            String initialDirectory, java.util.List<String> environment, int processId, int attachFlags) {
        require(DbgEngInterface.IDebugClient5, "CreateProcessAndAttach2Wide");
        var cmd = WideStrings.toNative(commandLine);
        var dir = WideStrings.toNative(initialDirectory);
        var env = WideStrings.environmentBlock(environment);
        options.write();
        com.call(IDebugClient5Slots.CreateProcessAndAttach2Wide, server, cmd, options.getPointer(), options.size(),
                dir, env, processId, attachFlags);
        Reference.reachabilityFence(cmd);
        Reference.reachabilityFence(dir);
        Reference.reachabilityFence(env);
        Reference.reachabilityFence(options);
    }

    @Override
    public void openDumpFileWide(String fileName, long fileHandle) {
        require(DbgEngInterface.IDebugClient4, "OpenDumpFileWide");
        var name = WideStrings.toNative(fileName);
        com.call(IDebugClient4Slots.OpenDumpFileWide, name, fileHandle);
        Reference.reachabilityFence(name);
    }

    @Override
    public void detachProcesses() {
        com.call(IDebugClientSlots.DetachProcesses);
    }

    @Override
    public void endSession(int flags) {
        if (flags == dev.jhtrace.dbgeng.jna.DbgEngConstants.DEBUG_END_REENTRANT) {
            DbgEngException.check(name(IDebugClientSlots.EndSession),
                    com.invokeFromAnyThread(IDebugClientSlots.EndSession, flags));
        } else {
            com.call(IDebugClientSlots.EndSession, flags);
        }
    }

    @Override
    public void setOutputCallbacksWide(Pointer callbacks) {
        require(DbgEngInterface.IDebugClient5, "SetOutputCallbacksWide");
        com.call(IDebugClient5Slots.SetOutputCallbacksWide, callbacks);
    }

    @Override
    public Pointer getOutputCallbacksWide() {
        require(DbgEngInterface.IDebugClient5, "GetOutputCallbacksWide");
        PointerByReference out = new PointerByReference();
        com.call(IDebugClient5Slots.GetOutputCallbacksWide, out);
        return out.getValue();
    }

    @Override
    public void setEventCallbacksWide(Pointer callbacks) {
        require(DbgEngInterface.IDebugClient5, "SetEventCallbacksWide");
        com.call(IDebugClient5Slots.SetEventCallbacksWide, callbacks);
    }

    @Override
    public Pointer getEventCallbacksWide() {
        require(DbgEngInterface.IDebugClient5, "GetEventCallbacksWide");
        PointerByReference out = new PointerByReference();
        com.call(IDebugClient5Slots.GetEventCallbacksWide, out);
        return out.getValue();
    }

    @Override
    public int getOutputMask() {
        IntByReference out = new IntByReference();
        com.call(IDebugClientSlots.GetOutputMask, out);
        return out.getValue();
    }

    @Override
    public void setOutputMask(int mask) {
        com.call(IDebugClientSlots.SetOutputMask, mask);
    }

    @Override
    public void flushCallbacks() {
        com.call(IDebugClientSlots.FlushCallbacks);
    }

    @Override
    public boolean dispatchCallbacks(int timeoutMillis) {
        return com.call(IDebugClientSlots.DispatchCallbacks, timeoutMillis) == HResult.S_OK;
    }

    @Override
    public void detachCurrentProcess() {
        require(DbgEngInterface.IDebugClient2, "DetachCurrentProcess");
        com.call(IDebugClient2Slots.DetachCurrentProcess);
    }

    @Override
    public void exitDispatch(DebugClient target) {
        DbgEngException.check(name(IDebugClientSlots.ExitDispatch),
                com.invokeFromAnyThread(IDebugClientSlots.ExitDispatch, target.com().pointer()));
    }

    @Override
    public DebugClient createClient() {
        PointerByReference out = new PointerByReference();
        DbgEngException.check(name(IDebugClientSlots.CreateClient),
                com.invokeFromAnyThread(IDebugClientSlots.CreateClient, out));
        // CreateClient hands out an IDebugClient; ask it for our version, then drop the base reference.
        ComObject base = com.adoptReturned(ComObject.requireReturned(name(IDebugClientSlots.CreateClient), out.getValue()),
                DbgEngInterface.IDebugClient);
        try {
            return new WrapDebugClient(base.queryInterface(com.iface()));
        } finally {
            base.release();
        }
    }
}
