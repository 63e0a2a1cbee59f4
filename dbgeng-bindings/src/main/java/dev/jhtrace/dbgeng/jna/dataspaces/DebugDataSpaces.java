package dev.jhtrace.dbgeng.jna.dataspaces;

import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.DebugHandleDataBasic;

/** The IDebugDataSpaces..IDebugDataSpaces2 methods jhtrace uses (ReadHandleData needs version 2). */
public interface DebugDataSpaces {
    DbgEngInterface version();

    /** ReadHandleData(Handle, DEBUG_HANDLE_DATA_TYPE_BASIC, ...). */
    DebugHandleDataBasic readHandleDataBasic(long handle);

    /** ReadHandleData with a *_WIDE string type (TYPE_NAME_WIDE, OBJECT_NAME_WIDE); "" when it has none. */
    String readHandleDataString(long handle, int wideDataType);

    void release();
}
