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

    /**
     * Every debugger DLL of this folder in the order to load them, each by absolute path: dbghelp, then
     * dbgcore, symsrv and dbgmodel where present, dbgeng last. Loading them all first means that when
     * dbgeng (or dbghelp, or the data model) imports one by name, the loader finds this folder's copy
     * already in the process instead of System32's older one (a dbgeng/dbgmodel mismatch crashes).
     */
    public List<Path> loadOrder() {
        List<Path> order = new java.util.ArrayList<>();
        order.add(dbghelp());
        for (String companion : COMPANIONS) {
            Path p = folder.resolve(companion);
            if (Files.isRegularFile(p)) order.add(p);
        }
        order.add(dbgeng());
        return List.copyOf(order);
    }

    /** The DLLs loaded between dbghelp and dbgeng when the folder has them. */
    public static final List<String> COMPANIONS = List.of("dbgcore.dll", "symsrv.dll", "dbgmodel.dll");

    /** Whether symsrv.dll sits next to dbghelp (needed for {@code srv*} symbol paths). */
    public boolean hasSymsrv() {
        return Files.isRegularFile(folder.resolve("symsrv.dll"));
    }
}
