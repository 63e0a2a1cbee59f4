package dev.jhtrace.dbgeng.jna.sysobj;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.ComWrapper;

/** {@link DebugSystemObjects} over a COM pointer to IDebugSystemObjects. */
public final class WrapDebugSystemObjects extends ComWrapper implements DebugSystemObjects {

    public WrapDebugSystemObjects(ComObject com) {
        super(com);
    }

    @Override
    public int getCurrentProcessSystemId() {
        return readUlong(IDebugSystemObjectsSlots.GetCurrentProcessSystemId);
    }

    @Override
    public int getCurrentThreadSystemId() {
        return readUlong(IDebugSystemObjectsSlots.GetCurrentThreadSystemId);
    }

    @Override
    public long getCurrentProcessHandle() {
        LongByReference out = new LongByReference();
        com.call(IDebugSystemObjectsSlots.GetCurrentProcessHandle, out);
        return out.getValue();
    }

    @Override
    public int getNumberThreads() {
        return readUlong(IDebugSystemObjectsSlots.GetNumberThreads);
    }

    @Override
    public int getCurrentProcessId() {
        return readUlong(IDebugSystemObjectsSlots.GetCurrentProcessId);
    }

    @Override
    public void setCurrentProcessId(int engineId) {
        com.call(IDebugSystemObjectsSlots.SetCurrentProcessId, engineId);
    }

    @Override
    public int getProcessIdBySystemId(int pid) {
        IntByReference out = new IntByReference();
        com.call(IDebugSystemObjectsSlots.GetProcessIdBySystemId, pid, out);
        return out.getValue();
    }

    private int readUlong(IDebugSystemObjectsSlots method) {
        IntByReference out = new IntByReference();
        com.call(method, out);
        return out.getValue();
    }
}
