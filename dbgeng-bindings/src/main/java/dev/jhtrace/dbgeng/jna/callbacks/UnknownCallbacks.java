package dev.jhtrace.dbgeng.jna.callbacks;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/** Native signatures of the IUnknown methods every Java-built COM object implements. */
public final class UnknownCallbacks {
    private UnknownCallbacks() {
    }

    /** HRESULT QueryInterface(This, REFIID, void**). */
    public interface QueryInterface extends Callback {
        int invoke(Pointer self, Pointer riid, Pointer ppvObject);
    }

    /** ULONG AddRef(This). */
    public interface AddRef extends Callback {
        int invoke(Pointer self);
    }

    /** ULONG Release(This). */
    public interface Release extends Callback {
        int invoke(Pointer self);
    }
}
