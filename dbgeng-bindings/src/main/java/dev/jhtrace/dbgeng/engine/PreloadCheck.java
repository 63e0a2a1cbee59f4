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
 * or an earlier session) from another folder. Imports bind by module name to whatever is already loaded,
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
        Path dbghelp = loaded.get("dbghelp.dll");
        if (dbghelp != null && !sameFolder(dbghelp, location.folder())) {
            warnings.add("dbghelp.dll is already loaded from " + dbghelp + (isSystem32(dbghelp) ? " (System32)" : "")
                    + "; dbgeng may bind to it instead of " + location.dbghelp() + " and symbols may misbehave");
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
