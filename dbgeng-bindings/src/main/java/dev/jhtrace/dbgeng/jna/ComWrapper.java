package dev.jhtrace.dbgeng.jna;

/** Shared plumbing of the Wrap* classes: the COM pointer, version checks and release. */
public abstract class ComWrapper {
    protected final ComObject com;

    protected ComWrapper(ComObject com) {
        this.com = com;
    }

    /** The COM object behind this wrapper. */
    public ComObject com() {
        return com;
    }

    /** The interface version obtained. */
    public DbgEngInterface version() {
        return com.iface();
    }

    /** Releases the interface; on the owning thread. */
    public void release() {
        com.release();
    }

    /** Refuses a method the obtained interface version does not have, naming the version needed. */
    protected void require(DbgEngInterface needed, String method) {
        if (com.iface().version() < needed.version()) {
            throw new DbgEngException(needed + "." + method, HResult.E_NOINTERFACE,
                    "needs " + needed + " but this dbgeng.dll only offers " + com.iface()
                            + "; use a newer Debugging Tools for Windows");
        }
    }

    /** Reads a string out-parameter with dbgeng's size-then-retry protocol. */
    protected String readWide(VTableSlot method, WideOut.Call call) {
        return WideOut.read(name(method), call);
    }

    protected String name(VTableSlot method) {
        return com.iface() + "." + method.name();
    }
}
