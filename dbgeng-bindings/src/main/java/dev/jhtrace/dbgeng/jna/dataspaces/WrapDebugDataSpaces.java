package dev.jhtrace.dbgeng.jna.dataspaces;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.ComWrapper;
import dev.jhtrace.dbgeng.jna.DbgEngConstants;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.DebugHandleDataBasic;
import dev.jhtrace.dbgeng.jna.WideStrings;

/** {@link DebugDataSpaces} over a COM pointer to IDebugDataSpaces (version 1 or 2). */
public final class WrapDebugDataSpaces extends ComWrapper implements DebugDataSpaces {
    /** Object names are UNICODE_STRINGs: at most 32767 characters. */
    private static final int MAX_NAME_BYTES = 65536;

    public WrapDebugDataSpaces(ComObject com) {
        super(com);
    }

    @Override
    public DebugHandleDataBasic readHandleDataBasic(long handle) {
        require(DbgEngInterface.IDebugDataSpaces2, "ReadHandleData");
        DebugHandleDataBasic basic = new DebugHandleDataBasic();
        IntByReference size = new IntByReference();
        com.call(IDebugDataSpaces2Slots.ReadHandleData, handle, DbgEngConstants.DEBUG_HANDLE_DATA_TYPE_BASIC,
                basic.getPointer(), basic.size(), size);
        basic.read();
        return basic;
    }

    @Override
    public String readHandleDataString(long handle, int wideDataType) {
        require(DbgEngInterface.IDebugDataSpaces2, "ReadHandleData");
        Memory buffer = new Memory(MAX_NAME_BYTES);
        buffer.clear();
        IntByReference size = new IntByReference();
        com.call(IDebugDataSpaces2Slots.ReadHandleData, handle, wideDataType, buffer, (int) buffer.size(), size);
        return WideStrings.read(buffer, MAX_NAME_BYTES / 2);
    }
}
