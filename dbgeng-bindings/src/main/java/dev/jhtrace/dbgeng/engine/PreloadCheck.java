package dev.jhtrace.dbgeng.engine;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides what to do about debugger DLLs already loaded in this process (by the JVM, a security product,
 * or an earlier client) from another folder. Imports bind by module name to whatever is already loaded,
 * so a foreign dbgeng.dll would be the engine actually used: refuse. A foreign dbghelp.dll can pair a
 * mismatched dbghelp with our dbgeng: warn.
 */
public final class PreloadCheck {
    private PreloadCheck() {
    }

    /**
     * @param location the folder we are about to load from
     * @param loaded   module name (lower case, e.g. {@code dbgeng.dll}) to the path it is loaded from
     * @return warnings; throws ENGINE_UNAVAILABLE when dbgeng.dll is loaded from elsewhere
     */
    public static List<String> check(DbgEngLocation location, Map<String, Path> loaded) {
        List<String> warnings = new ArrayList<>();
        Path dbgeng = loaded.get("dbgeng.dll");
        if (dbgeng != null && !sameFolder(dbgeng, location.folder())) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "this JVM already has " + dbgeng
                    + " loaded" + (isSystem32(dbgeng) ? " (the System32 copy)" : "") + ", so " + location.dbgeng()
                    + " cannot be used; run jhtrace in a fresh JVM");
        }
        Path dbgmodel = loaded.get("dbgmodel.dll");
        if (dbgmodel != null && !sameFolder(dbgmodel, location.folder())) {
            // dbgeng binds to the dbgmodel already loaded, and a mismatched pair is a known crash
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "this JVM already has " + dbgmodel + " loaded"
                    + (isSystem32(dbgmodel) ? " (the System32 copy)" : "") + ", which does not match " + location.dbgeng()
                    + "; run jhtrace in a fresh JVM");
        }
        for (String name : List.of("dbghelp.dll", "symsrv.dll")) {
            Path module = loaded.get(name);
            if (module != null && !sameFolder(module, location.folder())) {
                warnings.add(name + " is already loaded from " + module + (isSystem32(module) ? " (System32)" : "")
                        + "; dbgeng may bind to it instead of " + location.folder().resolve(name) + " and symbols may misbehave");
            }
        }
        return warnings;
    }

    private static boolean sameFolder(Path module, Path folder) {
        Path parent = module.toAbsolutePath().normalize().getParent();
        return parent != null && parent.toString().equalsIgnoreCase(folder.toAbsolutePath().normalize().toString());
    }

    static boolean isSystem32(Path module) {
        Path parent = module.getParent();
        return parent != null && parent.getFileName() != null
                && parent.getFileName().toString().toLowerCase(Locale.ROOT).equals("system32");
    }
}
