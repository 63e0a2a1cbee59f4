package dev.jhtrace.dbgeng.jna;

import com.sun.jna.Structure.FieldOrder;

/** DEBUG_HANDLE_DATA_BASIC, filled by ReadHandleData(DEBUG_HANDLE_DATA_TYPE_BASIC). All ULONG, hence int. */
@FieldOrder({"TypeNameSize", "ObjectNameSize", "Attributes", "GrantedAccess", "HandleCount", "PointerCount"})
public class DebugHandleDataBasic extends DbgEngStructure {
    public int TypeNameSize;
    public int ObjectNameSize;
    public int Attributes;
    public int GrantedAccess;
    public int HandleCount;
    public int PointerCount;
}
