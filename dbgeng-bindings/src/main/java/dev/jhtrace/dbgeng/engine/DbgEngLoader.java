package dev.jhtrace.dbgeng.engine;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Psapi;
import com.sun.jna.platform.win32.WinDef;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads dbghelp, then dbgcore, symsrv and dbgmodel (when present), then dbgeng, each by absolute path from
 * one folder ({@link DbgEngLocation#loadOrder()}), so that every import among them binds to the copies
 * next to dbgeng. JNA's loader uses
 * LoadLibraryEx(LOAD_WITH_ALTERED_SEARCH_PATH) for absolute paths. Loading again (a restarted client)
 * reuses the already-loaded modules.
 */
public final class DbgEngLoader {
    /** The one-line reason everywhere off Windows. */
    public static final String ONLY_ON_WINDOWS = "dbgeng is only available on Windows";

    private DbgEngLoader() {
    }

    /** Fails with ENGINE_UNAVAILABLE unless this is a 64-bit JVM on Windows. */
    public static void requireWindows64() {
        if (!Platform.isWindows()) throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, ONLY_ON_WINDOWS);
        if (!Platform.is64Bit()) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "dbgeng.dll needs a 64-bit JVM here (this one is 32-bit)");
        }
    }

    /** Finds the folder with {@link DbgEngLocator} and loads from it. */
    public static DbgEngLibrary load(LocatorEnvironment env) {
        requireWindows64();
        return load(new DbgEngLocator(env).locate());
    }

    /** Loads from a folder already chosen. */
    public static DbgEngLibrary load(DbgEngLocation location) {
        requireWindows64();
        List<String> warnings = new ArrayList<>(location.warnings());
        warnings.addAll(PreloadCheck.check(location, loadedModules()));
        try {
            NativeLibrary dbgeng = null;
            for (Path dll : location.loadOrder()) dbgeng = NativeLibrary.getInstance(dll.toString()); // dbgeng comes last
            return new DbgEngLibrary(dbgeng, location, FileVersions.of(location.dbgeng()),
                    FileVersions.of(location.dbghelp()), warnings);
        } catch (UnsatisfiedLinkError e) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot load " + location.dbgeng() + ": " + e.getMessage(), e);
        }
    }

    /** Debugger DLLs already in this process, by lower-case module name (Windows only). */
    static Map<String, Path> loadedModules() {
        Map<String, Path> out = new HashMap<>();
        for (String name : List.of("dbgeng.dll", "dbghelp.dll", "dbgmodel.dll", "symsrv.dll")) {
            WinDef.HMODULE h = Kernel32.INSTANCE.GetModuleHandle(name);
            if (h == null) continue;
            char[] buf = new char[32768];
            int n = Psapi.INSTANCE.GetModuleFileNameExW(Kernel32.INSTANCE.GetCurrentProcess(), h, buf, buf.length);
            if (n > 0) out.put(name, Path.of(new String(buf, 0, n)));
        }
        return out;
    }
}
