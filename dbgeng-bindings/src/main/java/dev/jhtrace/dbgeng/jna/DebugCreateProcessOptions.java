package dev.jhtrace.dbgeng.jna;

import com.sun.jna.Structure.FieldOrder;

/**
 * DEBUG_CREATE_PROCESS_OPTIONS for CreateProcess2 / CreateProcessAndAttach2: four ULONGs. Not in the
 * reference layout table; its layout is fixed by being four 32-bit fields (checked: 16 bytes, offsets 0..12).
 */
@FieldOrder({"CreateFlags", "EngCreateFlags", "VerifierFlags", "Reserved"})
public class DebugCreateProcessOptions extends DbgEngStructure {
    public int CreateFlags;
    public int EngCreateFlags;
    public int VerifierFlags;
    public int Reserved;
}
