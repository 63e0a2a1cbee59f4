package dev.jhtrace.dbgeng.engine;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Debugging Tools for Windows folder to load dbghelp and dbgeng from, by absolute path, so the
 * System32 copy (no symsrv.dll, refuses extensions such as the one behind {@code !htrace}) is never
 * picked by accident. Order: {@value LocatorEnvironment#DIR_PROPERTY} system property,
 * {@value LocatorEnvironment#DIR_ENV} environment variable, the Windows Kits registry root
 * ({@code KitsRoot10\Debuggers\x64}), the default Kits folders under Program Files, the Store WinDbg
 * (copied to a cache folder, since WindowsApps cannot be loaded from in place), and last System32, with a
 * warning. An explicitly configured folder that is unusable is an error, not a reason to look elsewhere.
 */
public final class DbgEngLocator {
    private static final Pattern STORE_PACKAGE = Pattern.compile("Microsoft\\.WinDbg_(\\d+(?:\\.\\d+)*)_x64__.*", Pattern.CASE_INSENSITIVE);
    /** What is copied out of a Store WinDbg: the engine, its helpers and the symbol/source servers. */
    static final List<String> STORE_FILES = List.of("dbgeng.dll", "dbghelp.dll", "dbgcore.dll", "dbgmodel.dll", "symsrv.dll", "srcsrv.dll");

    private final LocatorEnvironment env;

    public DbgEngLocator(LocatorEnvironment env) {
        this.env = env;
    }

    /** Finds the folder, or fails with ENGINE_UNAVAILABLE listing where it looked. */
    public DbgEngLocation locate() {
        List<String> searched = new ArrayList<>();
        String configured = env.property().apply(LocatorEnvironment.DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return explicit(Path.of(configured.trim()), DbgEngLocation.Source.SYSTEM_PROPERTY, "-D" + LocatorEnvironment.DIR_PROPERTY);
        }
        configured = env.environment().apply(LocatorEnvironment.DIR_ENV);
        if (configured != null && !configured.isBlank()) {
            return explicit(Path.of(configured.trim()), DbgEngLocation.Source.ENVIRONMENT, LocatorEnvironment.DIR_ENV);
        }
        Optional<Path> kits = env.kitsRoot10().get();
        if (kits.isPresent()) {
            Path p = debuggersX64(kits.get());
            searched.add(p.toString());
            if (isEngineFolder(p)) return found(p, DbgEngLocation.Source.KITS_REGISTRY);
        }
        for (String var : List.of("ProgramFiles(x86)", "ProgramFiles")) {
            String pf = env.environment().apply(var);
            if (pf == null || pf.isBlank()) continue;
            Path p = debuggersX64(Path.of(pf).resolve("Windows Kits").resolve("10"));
            searched.add(p.toString());
            if (isEngineFolder(p)) return found(p, DbgEngLocation.Source.PROGRAM_FILES);
        }
        Optional<DbgEngLocation> store = storeWinDbg(searched);
        if (store.isPresent()) return store.get();
        String systemRoot = env.environment().apply("SystemRoot");
        if (systemRoot != null && !systemRoot.isBlank()) {
            Path p = Path.of(systemRoot).resolve("System32");
            searched.add(p.toString());
            if (isEngineFolder(p)) {
                List<String> w = new ArrayList<>();
                w.add("using System32's dbgeng.dll: it has no symsrv.dll (srv* symbol paths download nothing) and refuses "
                        + "extension DLLs (no !htrace); install Debugging Tools for Windows or set " + LocatorEnvironment.DIR_ENV);
                return new DbgEngLocation(p.toAbsolutePath(), DbgEngLocation.Source.SYSTEM32, w);
            }
        }
        throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "dbgeng.dll not found (looked in " + String.join("; ", searched)
                + "); install Debugging Tools for Windows or set -D" + LocatorEnvironment.DIR_PROPERTY + " / " + LocatorEnvironment.DIR_ENV);
    }

    /** True when the folder holds both dbgeng.dll and dbghelp.dll. */
    static boolean isEngineFolder(Path p) {
        return Files.isRegularFile(p.resolve("dbgeng.dll")) && Files.isRegularFile(p.resolve("dbghelp.dll"));
    }

    private static Path debuggersX64(Path kitsRoot) {
        return kitsRoot.resolve("Debuggers").resolve("x64");
    }

    private DbgEngLocation explicit(Path p, DbgEngLocation.Source source, String setting) {
        if (!isEngineFolder(p)) {
            throw new JhtraceException(Failure.BAD_INPUT, setting + " points to " + p
                    + ", which does not hold both dbgeng.dll and dbghelp.dll");
        }
        return found(p, source);
    }

    private static DbgEngLocation found(Path p, DbgEngLocation.Source source) {
        List<String> w = new ArrayList<>();
        if (!Files.isRegularFile(p.resolve("symsrv.dll"))) {
            w.add("no symsrv.dll in " + p + ": srv* symbol paths will not download symbols");
        }
        return new DbgEngLocation(p.toAbsolutePath(), source, w);
    }

    /** The newest Store WinDbg's amd64 folder, copied to (or found in) the cache. */
    private Optional<DbgEngLocation> storeWinDbg(List<String> searched) {
        String pf = env.environment().apply("ProgramFiles");
        if (pf == null || pf.isBlank()) return Optional.empty();
        Path apps = Path.of(pf).resolve("WindowsApps");
        searched.add(apps.resolve("Microsoft.WinDbg_*_x64__*").resolve("amd64").toString());
        Optional<Path> newest = newestStorePackage(apps);
        if (newest.isEmpty()) return Optional.empty();
        Path source = newest.get().resolve("amd64");
        if (!isEngineFolder(source)) return Optional.empty();
        // The cache folder is named after the versioned package folder: a WinDbg update gets a fresh copy.
        Path cache = cacheRoot().resolve(newest.get().getFileName().toString());
        try {
            if (!isEngineFolder(cache)) copyStoreFiles(source, cache);
        } catch (IOException e) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot copy WinDbg's dbgeng from " + source + " to " + cache + ": " + e.getMessage(), e);
        }
        return Optional.of(found(cache, DbgEngLocation.Source.WINDBG_STORE_CACHE));
    }

    static Optional<Path> newestStorePackage(Path apps) {
        if (!Files.isDirectory(apps)) return Optional.empty();
        List<Path> packages = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(apps)) {
            for (Path p : dir) {
                if (STORE_PACKAGE.matcher(p.getFileName().toString()).matches()) packages.add(p);
            }
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // WindowsApps is often unlistable; then the Store WinDbg is not usable
        }
        return packages.stream().max(Comparator.comparing(DbgEngLocator::storeVersion, DbgEngLocator::compareVersions));
    }

    private static List<Integer> storeVersion(Path p) {
        Matcher m = STORE_PACKAGE.matcher(p.getFileName().toString());
        if (!m.matches()) return List.of();
        List<Integer> parts = new ArrayList<>();
        for (String s : m.group(1).split("\\.")) {
            try {
                parts.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                parts.add(0);
            }
        }
        return parts;
    }

    private static int compareVersions(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int c = Integer.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
            if (c != 0) return c;
        }
        return 0;
    }

    /** {@code %LOCALAPPDATA%\jhtrace\dbgeng-cache}, or under the user's home when LOCALAPPDATA is unset. */
    Path cacheRoot() {
        String local = env.environment().apply("LOCALAPPDATA");
        Path base = local != null && !local.isBlank() ? Path.of(local) : Path.of(String.valueOf(env.property().apply("user.home")), ".jhtrace");
        return base.resolve("jhtrace").resolve("dbgeng-cache");
    }

    private static void copyStoreFiles(Path source, Path cache) throws IOException {
        Files.createDirectories(cache.getParent());
        // Copy into a sibling temp folder and move it into place, so a half-copied cache is never used.
        Path tmp = Files.createTempDirectory(cache.getParent(), cache.getFileName() + ".tmp");
        try {
            for (String name : STORE_FILES) {
                Path f = source.resolve(name);
                if (Files.isRegularFile(f)) Files.copy(f, tmp.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) {
                try (DirectoryStream<Path> left = Files.newDirectoryStream(tmp)) {
                    for (Path p : left) Files.deleteIfExists(p);
                }
                Files.deleteIfExists(tmp);
            }
        }
    }
}
