package dev.jhtrace.dbgeng.jna;

import com.sun.jna.Structure.FieldOrder;

/** DEBUG_STACK_FRAME, as GetStackTrace fills it: ULONG64 fields are long, ULONG and BOOL are int. */
@FieldOrder({"InstructionOffset", "ReturnOffset", "FrameOffset", "StackOffset", "FuncTableEntry", "Params",
        "Reserved", "Virtual", "FrameNumber"})
public class DebugStackFrame extends DbgEngStructure {
    public long InstructionOffset;
    public long ReturnOffset;
    public long FrameOffset;
    public long StackOffset;
    public long FuncTableEntry;
    public long[] Params = new long[4];
    public long[] Reserved = new long[6];
    public int Virtual;
    public int FrameNumber;
}
