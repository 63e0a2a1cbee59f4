package dev.jhtrace.dbgeng.jna.callbacks;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.dbgeng.jna.WideStrings;

/**
 * IDebugOutputCallbacksWide implemented in Java. dbgeng calls Output(Mask, Text) with fragments; they go
 * to an {@link OutputSink} (usually an {@link OutputLineBuffer}, which reassembles lines per mask).
 */
public final class OutputCallbacksWide extends JavaComObject {

    /** Receives raw output fragments. */
    @FunctionalInterface
    public interface OutputSink {
        void output(int mask, String text);
    }

    /** HRESULT Output(This, ULONG Mask, PCWSTR Text). */
    public interface OutputFn extends Callback {
        int invoke(Pointer self, int mask, Pointer text);
    }

    /** The vtable: IUnknown then Output, in IDebugOutputCallbacksWide slot order. */
    @FieldOrder({"QueryInterface", "AddRef", "Release", "Output"})
    public static final class Vtbl extends Structure {
        public UnknownCallbacks.QueryInterface QueryInterface;
        public UnknownCallbacks.AddRef AddRef;
        public UnknownCallbacks.Release Release;
        public OutputFn Output;
    }

    private final OutputSink sink;
    private final OutputFn output = this::output;

    public OutputCallbacksWide(OutputSink sink) {
        super(DbgEngInterface.IDebugOutputCallbacksWide);
        this.sink = sink;
        Vtbl v = new Vtbl();
        v.QueryInterface = queryInterfaceCallback();
        v.AddRef = addRefCallback();
        v.Release = releaseCallback();
        v.Output = output;
        install(v);
    }

    private int output(Pointer self, int mask, Pointer text) {
        try {
            sink.output(mask, text == null ? "" : WideStrings.read(text));
            return HResult.S_OK;
        } catch (Throwable t) {
            contain("Output", t);
            return HResult.E_UNEXPECTED;
        }
    }
}
