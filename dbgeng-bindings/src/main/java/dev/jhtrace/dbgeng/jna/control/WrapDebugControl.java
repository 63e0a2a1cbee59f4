package dev.jhtrace.dbgeng.jna.control;

import com.sun.jna.ptr.IntByReference;
import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.ComWrapper;
import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.dbgeng.jna.WideStrings;
import java.lang.ref.Reference;

/** {@link DebugControl} over a COM pointer to IDebugControl (any version 1..4). */
public final class WrapDebugControl extends ComWrapper implements DebugControl {

    public WrapDebugControl(ComObject com) {
        super(com);
    }

    @Override
    public void setInterrupt(int flags) {
        DbgEngException.check(name(IDebugControlSlots.SetInterrupt),
                com.invokeFromAnyThread(IDebugControlSlots.SetInterrupt, flags));
    }

    @Override
    public long getExecutionStatus() {
        // PULONG: a 32-bit out-parameter, widened unsigned.
        IntByReference out = new IntByReference();
        com.call(IDebugControlSlots.GetExecutionStatus, out);
        return Integer.toUnsignedLong(out.getValue());
    }

    @Override
    public boolean waitForEvent(int flags, int timeoutMillis) {
        return com.call(IDebugControlSlots.WaitForEvent, flags, timeoutMillis) == HResult.S_OK;
    }

    @Override
    public void executeWide(int outputControl, String command, int flags) {
        require(DbgEngInterface.IDebugControl4, "ExecuteWide");
        var text = WideStrings.toNative(command);
        com.call(IDebugControl4Slots.ExecuteWide, outputControl, text, flags);
        Reference.reachabilityFence(text);
    }

    @Override
    public boolean isPointer64Bit() {
        return com.call(IDebugControlSlots.IsPointer64Bit) == HResult.S_OK;
    }

    @Override
    public int getActualProcessorType() {
        IntByReference out = new IntByReference();
        com.call(IDebugControlSlots.GetActualProcessorType, out);
        return out.getValue();
    }
}
