package dev.jhtrace.dbgeng.jna;

/**
 * GetModuleByOffset's answer.
 *
 * @param index module index in dbgeng's module list
 * @param base  module base address
 */
public record ModuleLocation(int index, long base) {
}
