package dev.jhtrace.dbgeng.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A folder holding dbgeng.dll and dbghelp.dll, and how it was found.
 *
 * @param folder   absolute folder path
 * @param source   which rule found it
 * @param warnings what the user should know (System32 copy, no symsrv.dll), one line each
 */
public record DbgEngLocation(Path folder, Source source, List<String> warnings) {

    /** Which rule of {@link DbgEngLocator} found the folder, in the order they are tried. */
    public enum Source {
        SYSTEM_PROPERTY, ENVIRONMENT, KITS_REGISTRY, PROGRAM_FILES, WINDBG_STORE_CACHE, SYSTEM32
    }

    public DbgEngLocation {
        warnings = List.copyOf(warnings);
    }

    public Path dbgeng() {
        return folder.resolve("dbgeng.dll");
    }

    public Path dbghelp() {
        return folder.resolve("dbghelp.dll");
    }

    /** dbgcore.dll, which newer dbghelp builds import, when the folder has one. */
    public Optional<Path> dbgcore() {
        Path p = folder.resolve("dbgcore.dll");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Whether symsrv.dll sits next to dbghelp (needed for {@code srv*} symbol paths). */
    public boolean hasSymsrv() {
        return Files.isRegularFile(folder.resolve("symsrv.dll"));
    }
}
