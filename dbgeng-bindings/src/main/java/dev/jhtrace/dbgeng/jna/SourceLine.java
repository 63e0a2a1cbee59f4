package dev.jhtrace.dbgeng.jna;

/**
 * GetLineByOffset's answer.
 *
 * @param file         source file path as recorded in the symbols
 * @param line         1-based line number
 * @param displacement bytes from the line's first instruction to the address
 */
public record SourceLine(String file, int line, long displacement) {
}
