package dev.jhtrace.dbgeng.jna;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Reference;

/**
 * One COM interface pointer owned by one thread (the thread that obtained it). Calls go through the
 * object's vtable by slot number; calls from another thread are refused unless the method is one of
 * dbgeng's documented reentrant ones. Release is explicit and must also happen on the owning thread
 * (no Cleaner: it would release on its own thread).
 */
public final class ComObject {
    /**
     * Sees every call just before it goes through the vtable. The engine uses {@link #NONE}; tests pass
     * a check of the argument count and widths against DbgEng.h's signatures, since a native callee
     * cannot tell how many arguments it was given.
     */
    @FunctionalInterface
    public interface CallCheck {
        CallCheck NONE = (iface, method, args) -> { };

        /** Throws when {@code args} (without This) do not fit {@code method}'s declaration. */
        void check(DbgEngInterface iface, VTableSlot method, Object[] args);
    }

    private final Pointer self;
    private final DbgEngInterface iface;
    private final Thread owner;
    private final CallCheck check;
    private boolean released;

    private ComObject(Pointer self, DbgEngInterface iface, Thread owner, CallCheck check) {
        if (self == null) throw new IllegalArgumentException(iface + ": null interface pointer");
        this.self = self;
        this.iface = iface;
        this.owner = owner;
        this.check = check;
    }

    /** Takes ownership of a reference the caller already holds (e.g. from DebugCreate); owned by this thread. */
    public static ComObject adopt(Pointer self, DbgEngInterface iface) {
        return adopt(self, iface, CallCheck.NONE);
    }

    /** As {@link #adopt(Pointer, DbgEngInterface)}, every call (and every object it hands out) seen by {@code check} first. */
    public static ComObject adopt(Pointer self, DbgEngInterface iface, CallCheck check) {
        return new ComObject(self, iface, Thread.currentThread(), check);
    }

    /** Takes ownership of a reference this object handed out (e.g. by CreateClient), checked as this one is. */
    public ComObject adoptReturned(Pointer returned, DbgEngInterface returnedIface) {
        return new ComObject(returned, returnedIface, Thread.currentThread(), check);
    }

    /** The raw interface pointer (what is passed where dbgeng expects this interface). */
    public Pointer pointer() {
        return self;
    }

    /** Which interface (and version) this pointer is. */
    public DbgEngInterface iface() {
        return iface;
    }

    /** The thread that may call it. */
    public Thread owner() {
        return owner;
    }

    /** Calls a method on the owning thread; returns the HRESULT. */
    public int invoke(VTableSlot method, Object... args) {
        checkThread(method);
        return invokeNative(method, args);
    }

    /** Calls a method documented as callable from any thread (SetInterrupt, ExitDispatch, CreateClient). */
    public int invokeFromAnyThread(VTableSlot method, Object... args) {
        checkAlive(method);
        return invokeNative(method, args);
    }

    /** Calls a method and throws {@link DbgEngException} on failure; returns S_OK or S_FALSE. */
    public int call(VTableSlot method, Object... args) {
        return DbgEngException.check(iface + "." + method.name(), invoke(method, args));
    }

    /** QueryInterface for another interface of the same object; the result belongs to this thread. */
    public ComObject queryInterface(DbgEngInterface wanted) {
        Guid.IID iid = wanted.iid();
        PointerByReference out = new PointerByReference();
        int hr = invoke(IUnknownSlots.QueryInterface, iid.getPointer(), out);
        Reference.reachabilityFence(iid);
        String method = iface + ".QueryInterface(" + wanted + ")";
        DbgEngException.check(method, hr);
        return new ComObject(requireReturned(method, out.getValue()), wanted, Thread.currentThread(), check);
    }

    /** An interface out-parameter after success; a null one is reported, not wrapped. */
    public static Pointer requireReturned(String method, Pointer p) {
        if (p == null) throw new DbgEngException(method, HResult.E_POINTER, "it succeeded but returned no interface");
        return p;
    }

    /** Releases this reference, once; later calls are refused. Must run on the owning thread. */
    public void release() {
        if (released) return;
        checkThread(IUnknownSlots.Release);
        released = true;
        invokeNative(IUnknownSlots.Release);
    }

    public boolean isReleased() {
        return released;
    }

    private void checkThread(VTableSlot method) {
        checkAlive(method);
        Thread caller = Thread.currentThread();
        if (caller != owner) throw new WrongThreadException(iface + "." + method.name(), owner, caller);
    }

    private void checkAlive(VTableSlot method) {
        if (released) throw new IllegalStateException(iface + "." + method.name() + " called after Release");
    }

    private int invokeNative(VTableSlot method, Object... args) {
        check.check(iface, method, args);
        Pointer vtable = self.getPointer(0);
        Pointer fn = vtable.getPointer((long) method.slot() * Native.POINTER_SIZE);
        // C convention: Win64 has a single calling convention and only 64-bit JVMs are supported.
        Function f = Function.getFunction(fn, Function.C_CONVENTION);
        Object[] full = new Object[args.length + 1];
        full[0] = self;
        System.arraycopy(args, 0, full, 1, args.length);
        return f.invokeInt(full);
    }

    @Override
    public String toString() {
        return iface + "@" + self;
    }
}
