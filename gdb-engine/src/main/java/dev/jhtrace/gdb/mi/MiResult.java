package dev.jhtrace.gdb.mi;

/**
 * One {@code name=value} pair of a GDB/MI record.
 *
 * @param name  the variable name
 * @param value the value
 */
public record MiResult(String name, MiValue value) {
}
