package dev.jhtrace.dbgeng.nt;

import java.util.Arrays;

/**
 * One PROCESS_HANDLE_TRACING_ENTRY as the kernel returns it: no time, no sequence number.
 *
 * @param handle handle value
 * @param pid    ClientId.UniqueProcess (another process's id for handles duplicated in)
 * @param tid    ClientId.UniqueThread
 * @param type   HANDLE_TRACE_DB_OPEN, _CLOSE or _BADREF
 * @param stack  return addresses, innermost first, kernel and user frames together, trailing zero slots removed
 */
public record RawTraceEntry(long handle, int pid, int tid, int type, long[] stack) {

    public RawTraceEntry {
        stack = stack.clone();
    }

    @Override
    public long[] stack() {
        return stack.clone();
    }

    /** Stack slot {@code i}, without copying the stack. */
    public long frame(int i) {
        return stack[i];
    }

    public int depth() {
        return stack.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawTraceEntry e && e.handle == handle && e.pid == pid && e.tid == tid && e.type == type
                && Arrays.equals(e.stack, stack);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(handle) * 31 + Arrays.hashCode(stack) * 7 + type + tid;
    }

    @Override
    public String toString() {
        return "RawTraceEntry[handle=0x" + Long.toHexString(handle) + ", pid=" + pid + ", tid=" + tid + ", type=" + type
                + ", depth=" + stack.length + "]";
    }
}
