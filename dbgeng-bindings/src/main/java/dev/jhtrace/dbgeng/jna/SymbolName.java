package dev.jhtrace.dbgeng.jna;

/**
 * GetNameByOffset's answer.
 *
 * @param name         {@code module!function} as dbgeng prints it
 * @param displacement bytes from the symbol's start to the address
 */
public record SymbolName(String name, long displacement) {
}
