package dev.jhtrace.dbgeng.jna.callbacks;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import dev.jhtrace.dbgeng.jna.DbgEngConstants;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.dbgeng.jna.WideStrings;

/**
 * IDebugEventCallbacksWide implemented in Java, forwarding to a {@link DebugEventListener}. A listener
 * that throws is contained: event methods then answer DEBUG_STATUS_NO_CHANGE, GetInterestMask and the
 * notifications E_UNEXPECTED.
 */
public final class EventCallbacksWide extends JavaComObject {

    /** HRESULT GetInterestMask(This, PULONG Mask). */
    public interface GetInterestMaskFn extends Callback {
        int invoke(Pointer self, Pointer mask);
    }

    /** HRESULT Breakpoint(This, PDEBUG_BREAKPOINT2 Bp). */
    public interface BreakpointFn extends Callback {
        int invoke(Pointer self, Pointer bp);
    }

    /** HRESULT Exception(This, PEXCEPTION_RECORD64 Exception, ULONG FirstChance). */
    public interface ExceptionFn extends Callback {
        int invoke(Pointer self, Pointer exception, int firstChance);
    }

    /** HRESULT CreateThread(This, ULONG64 Handle, ULONG64 DataOffset, ULONG64 StartOffset). */
    public interface CreateThreadFn extends Callback {
        int invoke(Pointer self, long handle, long dataOffset, long startOffset);
    }

    /** HRESULT ExitThread/ExitProcess(This, ULONG ExitCode); SessionStatus(This, ULONG Status). */
    public interface UlongFn extends Callback {
        int invoke(Pointer self, int value);
    }

    /**
     * HRESULT CreateProcess(This, ULONG64 ImageFileHandle, ULONG64 Handle, ULONG64 BaseOffset, ULONG ModuleSize,
     * PCWSTR ModuleName, PCWSTR ImageName, ULONG CheckSum, ULONG TimeDateStamp, ULONG64 InitialThreadHandle,
     * ULONG64 ThreadDataOffset, ULONG64 StartOffset).
     */
    public interface CreateProcessFn extends Callback {
        int invoke(Pointer self, long imageFileHandle, long handle, long baseOffset, int moduleSize,
                   Pointer moduleName, Pointer imageName, int checkSum, int timeDateStamp,
                   long initialThreadHandle, long threadDataOffset, long startOffset);
    }

    /**
     * HRESULT LoadModule(This, ULONG64 ImageFileHandle, ULONG64 BaseOffset, ULONG ModuleSize, PCWSTR ModuleName,
     * PCWSTR ImageName, ULONG CheckSum, ULONG TimeDateStamp).
     */
    public interface LoadModuleFn extends Callback {
        int invoke(Pointer self, long imageFileHandle, long baseOffset, int moduleSize, Pointer moduleName,
                   Pointer imageName, int checkSum, int timeDateStamp);
    }

    /** HRESULT UnloadModule(This, PCWSTR ImageBaseName, ULONG64 BaseOffset). */
    public interface UnloadModuleFn extends Callback {
        int invoke(Pointer self, Pointer imageBaseName, long baseOffset);
    }

    /** HRESULT SystemError(This, ULONG Error, ULONG Level). */
    public interface SystemErrorFn extends Callback {
        int invoke(Pointer self, int error, int level);
    }

    /** HRESULT ChangeDebuggeeState/ChangeEngineState/ChangeSymbolState(This, ULONG Flags, ULONG64 Argument). */
    public interface ChangeStateFn extends Callback {
        int invoke(Pointer self, int flags, long argument);
    }

    /** The vtable, in IDebugEventCallbacksWide slot order. */
    @FieldOrder({"QueryInterface", "AddRef", "Release", "GetInterestMask", "Breakpoint", "Exception",
            "CreateThread", "ExitThread", "CreateProcess", "ExitProcess", "LoadModule", "UnloadModule",
            "SystemError", "SessionStatus", "ChangeDebuggeeState", "ChangeEngineState", "ChangeSymbolState"})
    public static final class Vtbl extends Structure {
        public UnknownCallbacks.QueryInterface QueryInterface;
        public UnknownCallbacks.AddRef AddRef;
        public UnknownCallbacks.Release Release;
        public GetInterestMaskFn GetInterestMask;
        public BreakpointFn Breakpoint;
        public ExceptionFn Exception;
        public CreateThreadFn CreateThread;
        public UlongFn ExitThread;
        public CreateProcessFn CreateProcess;
        public UlongFn ExitProcess;
        public LoadModuleFn LoadModule;
        public UnloadModuleFn UnloadModule;
        public SystemErrorFn SystemError;
        public UlongFn SessionStatus;
        public ChangeStateFn ChangeDebuggeeState;
        public ChangeStateFn ChangeEngineState;
        public ChangeStateFn ChangeSymbolState;
    }

    private static final int NO_CHANGE = DbgEngConstants.DEBUG_STATUS_NO_CHANGE;

    private final DebugEventListener listener;
    private final Vtbl vtbl = new Vtbl();

    public EventCallbacksWide(DebugEventListener listener) {
        super(DbgEngInterface.IDebugEventCallbacksWide);
        this.listener = listener;
        vtbl.QueryInterface = queryInterfaceCallback();
        vtbl.AddRef = addRefCallback();
        vtbl.Release = releaseCallback();
        vtbl.GetInterestMask = (self, mask) -> {
            try {
                if (mask == null) return HResult.E_POINTER;
                mask.setInt(0, listener.interestMask());
                return HResult.S_OK;
            } catch (Throwable t) {
                contain("GetInterestMask", t);
                return HResult.E_UNEXPECTED;
            }
        };
        vtbl.Breakpoint = (self, bp) -> event("Breakpoint", () -> listener.breakpoint(Pointer.nativeValue(bp)));
        vtbl.Exception = (self, ex, first) ->
                event("Exception", () -> listener.exception(Pointer.nativeValue(ex), first != 0));
        vtbl.CreateThread = (self, h, data, start) ->
                event("CreateThread", () -> listener.createThread(h, data, start));
        vtbl.ExitThread = (self, code) -> event("ExitThread", () -> listener.exitThread(code));
        vtbl.CreateProcess = (self, imageFile, h, base, size, module, image, sum, stamp, thread, teb, start) ->
                event("CreateProcess", () -> listener.createProcess(base, size, str(module), str(image)));
        vtbl.ExitProcess = (self, code) -> event("ExitProcess", () -> listener.exitProcess(code));
        vtbl.LoadModule = (self, imageFile, base, size, module, image, sum, stamp) ->
                event("LoadModule", () -> listener.loadModule(base, size, str(module), str(image)));
        vtbl.UnloadModule = (self, name, base) ->
                event("UnloadModule", () -> listener.unloadModule(str(name), base));
        vtbl.SystemError = (self, error, level) -> event("SystemError", () -> listener.systemError(error, level));
        vtbl.SessionStatus = (self, status) -> notification("SessionStatus", () -> listener.sessionStatus(status));
        vtbl.ChangeDebuggeeState = (self, flags, arg) ->
                notification("ChangeDebuggeeState", () -> listener.changeDebuggeeState(flags, arg));
        vtbl.ChangeEngineState = (self, flags, arg) ->
                notification("ChangeEngineState", () -> listener.changeEngineState(flags, arg));
        vtbl.ChangeSymbolState = (self, flags, arg) ->
                notification("ChangeSymbolState", () -> listener.changeSymbolState(flags, arg));
        install(vtbl);
    }

    /** The listener this object forwards to. */
    public DebugEventListener listener() {
        return listener;
    }

    private interface StatusCall {
        int call();
    }

    private int event(String method, StatusCall call) {
        try {
            return call.call();
        } catch (Throwable t) {
            contain(method, t);
            return NO_CHANGE;
        }
    }

    private int notification(String method, Runnable call) {
        try {
            call.run();
            return HResult.S_OK;
        } catch (Throwable t) {
            contain(method, t);
            return HResult.E_UNEXPECTED;
        }
    }

    private static String str(Pointer wide) {
        return WideStrings.read(wide);
    }
}
