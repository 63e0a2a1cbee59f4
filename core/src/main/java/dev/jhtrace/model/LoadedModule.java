package dev.jhtrace.model;

/**
 * One module (executable or shared library) loaded in a process, as WinDbg's {@code lm} lists them.
 *
 * @param base  lowest address the module is mapped at
 * @param end   first address past its highest mapping
 * @param name  module name: the file name ({@code libc.so.6}, {@code ntdll.dll})
 * @param path  the file it was loaded from, or null when not known
 */
public record LoadedModule(long base, long end, String name, String path) {
}
