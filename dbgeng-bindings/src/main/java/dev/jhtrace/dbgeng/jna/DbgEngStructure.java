package dev.jhtrace.dbgeng.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Base of the dbgeng structures: default (natural) alignment, which for these all-ULONG/ULONG64 structs is
 * the same under JNA on Linux x86-64 as under MSVC on Win64. Exposes field offsets so tests can compare the
 * layout with the reference table.
 */
public abstract class DbgEngStructure extends Structure {
    protected DbgEngStructure() {
        super(ALIGN_DEFAULT);
    }

    protected DbgEngStructure(Pointer p) {
        super(p, ALIGN_DEFAULT);
    }

    /** Byte offset of a field, as native code sees it. */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
