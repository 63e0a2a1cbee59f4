package dev.jhtrace.dbgeng.engine;

import com.sun.jna.Platform;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.WinReg;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where {@link DbgEngLocator} looks: system properties, environment variables and the Windows Kits
 * registry value, as functions so the path logic can be tested with fake folder layouts.
 *
 * @param property    system property lookup (null when unset)
 * @param environment environment variable lookup (null when unset)
 * @param kitsRoot10  {@code HKLM\SOFTWARE\Microsoft\Windows Kits\Installed Roots\KitsRoot10}, when present
 */
public record LocatorEnvironment(Function<String, String> property, Function<String, String> environment,
                                 Supplier<Optional<Path>> kitsRoot10) {

    /** System property naming the Debugging Tools folder (the one holding dbgeng.dll). */
    public static final String DIR_PROPERTY = "jhtrace.dbgeng.dir";
    /** Environment variable naming the Debugging Tools folder. */
    public static final String DIR_ENV = "JHTRACE_DBGENG_DIR";

    private static final String KITS_KEY = "SOFTWARE\\Microsoft\\Windows Kits\\Installed Roots";
    private static final String KITS_KEY_WOW64 = "SOFTWARE\\WOW6432Node\\Microsoft\\Windows Kits\\Installed Roots";

    /** This process's real environment (the registry only on Windows). */
    public static LocatorEnvironment system() {
        return new LocatorEnvironment(System::getProperty, System::getenv, LocatorEnvironment::readKitsRoot10);
    }

    private static Optional<Path> readKitsRoot10() {
        if (!Platform.isWindows()) return Optional.empty();
        for (String key : List.of(KITS_KEY, KITS_KEY_WOW64)) {
            try {
                if (Advapi32Util.registryValueExists(WinReg.HKEY_LOCAL_MACHINE, key, "KitsRoot10")) {
                    return Optional.of(Path.of(Advapi32Util.registryGetStringValue(WinReg.HKEY_LOCAL_MACHINE, key, "KitsRoot10")));
                }
            } catch (RuntimeException e) {
                // an unreadable key is the same as no key: the next candidate is tried
            }
        }
        return Optional.empty();
    }
}
