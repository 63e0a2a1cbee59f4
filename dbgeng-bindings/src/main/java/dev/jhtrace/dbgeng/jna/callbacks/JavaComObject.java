package dev.jhtrace.dbgeng.jna.callbacks;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.Guid;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.HResult;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A COM object implemented in Java: native memory holding a pointer to a vtable structure of JNA
 * callbacks. QueryInterface answers IUnknown and the object's own IID. The reference count is kept for
 * diagnostics only; the Java object's lifetime is managed by {@link CallbackRegistry}, because native
 * code holding a pointer does not keep a Java object alive. No exception may reach native code: every
 * entry point catches Throwable, remembers it ({@link #lastFailure()}) and returns a neutral code.
 */
public abstract class JavaComObject {
    private static final System.Logger LOG = System.getLogger(JavaComObject.class.getName());

    private final DbgEngInterface iface;
    private final AtomicInteger refCount = new AtomicInteger(1);
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    // Strong references: the vtable's callbacks and the object memory must outlive every native use.
    private final UnknownCallbacks.QueryInterface queryInterface = this::queryInterface;
    private final UnknownCallbacks.AddRef addRef = self -> refCount.incrementAndGet();
    private final UnknownCallbacks.Release release = self -> Math.max(0, refCount.decrementAndGet());
    private Structure vtable;
    private Memory object;

    protected JavaComObject(DbgEngInterface iface) {
        this.iface = iface;
    }

    /** Subclasses build their vtable (IUnknown slots first) and call this once from their constructor. */
    protected final void install(Structure filledVtable) {
        filledVtable.write();
        this.vtable = filledVtable;
        this.object = new Memory(Native.POINTER_SIZE);
        object.setPointer(0, filledVtable.getPointer());
    }

    protected UnknownCallbacks.QueryInterface queryInterfaceCallback() {
        return queryInterface;
    }

    protected UnknownCallbacks.AddRef addRefCallback() {
        return addRef;
    }

    protected UnknownCallbacks.Release releaseCallback() {
        return release;
    }

    /** The COM object pointer to hand to dbgeng. */
    public Pointer pointer() {
        return object;
    }

    /** The vtable structure (exposed for layout checks). */
    public Structure vtable() {
        return vtable;
    }

    public DbgEngInterface iface() {
        return iface;
    }

    /** Current COM reference count (diagnostics; starts at 1 for the registry's reference). */
    public int refCount() {
        return refCount.get();
    }

    /** How many callbacks threw (and were contained). */
    public int failures() {
        return failures.get();
    }

    /** The last Throwable contained, or null. */
    public Throwable lastFailure() {
        return lastFailure.get();
    }

    /** Records a Throwable that must not cross into native code. */
    protected final void contain(String method, Throwable t) {
        failures.incrementAndGet();
        lastFailure.set(t);
        try {
            LOG.log(System.Logger.Level.WARNING, iface + "." + method + " callback failed", t);
        } catch (Throwable ignored) {
            // logging itself must not throw into native code either
        }
    }

    private int queryInterface(Pointer self, Pointer riid, Pointer ppv) {
        try {
            if (ppv == null) return HResult.E_POINTER;
            if (riid == null) {
                ppv.setPointer(0, null);
                return HResult.E_POINTER;
            }
            String asked = guidString(new Guid.GUID(riid));
            if (asked.equals(DbgEngInterface.IID_IUNKNOWN) || asked.equals(iface.iidString())) {
                ppv.setPointer(0, object);
                refCount.incrementAndGet();
                return HResult.S_OK;
            }
            ppv.setPointer(0, null);
            return HResult.E_NOINTERFACE;
        } catch (Throwable t) {
            contain("QueryInterface", t);
            return HResult.E_UNEXPECTED;
        }
    }

    /** Lower-case 8-4-4-4-12 form of a GUID, as the reference tables and DbgEngInterface store it. */
    static String guidString(Guid.GUID g) {
        StringBuilder sb = new StringBuilder(36);
        sb.append(String.format(Locale.ROOT, "%08x-%04x-%04x-", g.Data1, g.Data2 & 0xFFFF, g.Data3 & 0xFFFF));
        for (int i = 0; i < 8; i++) {
            if (i == 2) sb.append('-');
            sb.append(String.format(Locale.ROOT, "%02x", g.Data4[i] & 0xFF));
        }
        return sb.toString();
    }
}
