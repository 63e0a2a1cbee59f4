package dev.jhtrace.model;

/**
 * One frame of a call stack: an address, and what symbol resolution knows about it.
 * Every field but {@code address} may be null when unknown. When {@code function} is null,
 * {@code offset} is relative to the module base; otherwise it is relative to the function.
 *
 * @param address absolute return address
 * @param module  module (DLL, shared object, executable) name without path, e.g. {@code ntdll} or {@code libc.so.6}
 * @param function function name, e.g. {@code CServer::GetToken}
 * @param offset  offset from the function (or module, when no function is known)
 * @param file    source file, when line information exists
 * @param line    source line, when line information exists
 */
public record StackFrame(long address, String module, String function, Long offset, String file, Integer line) {

    /** A frame known only by its address. */
    public static StackFrame unresolved(long address) {
        return new StackFrame(address, null, null, null, null, null);
    }

    /** True when neither a module nor a function is known. */
    public boolean isUnresolved() {
        return module == null && function == null;
    }

    /** The frame as WinDbg prints it: {@code module!function+0xoffset}, {@code module+0xoffset} or the bare address. */
    public String symbol() {
        StringBuilder sb = new StringBuilder();
        if (module != null) sb.append(module);
        if (function != null) {
            if (module != null) sb.append('!');
            sb.append(function);
        }
        if (sb.length() == 0) return "0x" + Long.toHexString(address);
        if (offset != null && offset != 0) sb.append("+0x").append(Long.toHexString(offset));
        return sb.toString();
    }

    @Override
    public String toString() {
        String s = symbol();
        return file == null ? s : s + " [" + file + (line == null ? "" : " @ " + line) + "]";
    }
}
