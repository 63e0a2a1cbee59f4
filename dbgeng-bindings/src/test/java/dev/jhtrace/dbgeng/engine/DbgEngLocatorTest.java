package dev.jhtrace.dbgeng.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader's path logic on real temporary folder layouts with dummy DLL files. */
class DbgEngLocatorTest {
    @TempDir
    Path root;

    private final Map<String, String> props = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private Optional<Path> kits = Optional.empty();

    private DbgEngLocation locate() {
        return new DbgEngLocator(new LocatorEnvironment(props::get, env::get, () -> kits)).locate();
    }

    private static Path engineFolder(Path dir, String... extra) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of("dbgeng.dll", "dbghelp.dll")) Files.writeString(dir.resolve(f), "dummy " + f);
        for (String f : extra) Files.writeString(dir.resolve(f), "dummy " + f);
        return dir;
    }

    private Path system32() throws IOException {
        Path windows = root.resolve("Windows");
        engineFolder(windows.resolve("System32"));
        env.put("SystemRoot", windows.toString());
        return windows.resolve("System32");
    }

    @Test
    void systemPropertyWinsOverEverythingElse() throws IOException {
        Path configured = engineFolder(root.resolve("mine"), "symsrv.dll");
        Path envDir = engineFolder(root.resolve("env"));
        system32();
        props.put(LocatorEnvironment.DIR_PROPERTY, configured.toString());
        env.put(LocatorEnvironment.DIR_ENV, envDir.toString());
        DbgEngLocation loc = locate();
        assertEquals(configured.toAbsolutePath(), loc.folder());
        assertEquals(DbgEngLocation.Source.SYSTEM_PROPERTY, loc.source());
        assertEquals(List.of(), loc.warnings());
        assertTrue(loc.hasSymsrv());
        assertEquals(configured.resolve("dbgeng.dll").toAbsolutePath(), loc.dbgeng());
    }

    @Test
    void environmentVariableNext() throws IOException {
        Path envDir = engineFolder(root.resolve("env"), "symsrv.dll", "dbgcore.dll");
        env.put(LocatorEnvironment.DIR_ENV, envDir.toString());
        DbgEngLocation loc = locate();
        assertEquals(DbgEngLocation.Source.ENVIRONMENT, loc.source());
        assertEquals(Optional.of(envDir.resolve("dbgcore.dll").toAbsolutePath()), loc.dbgcore());
    }

    @Test
    void misconfiguredFolderIsAnErrorNotAFallback() throws IOException {
        system32();
        Path half = root.resolve("half");
        Files.createDirectories(half);
        Files.writeString(half.resolve("dbgeng.dll"), "x"); // no dbghelp.dll
        props.put(LocatorEnvironment.DIR_PROPERTY, half.toString());
        JhtraceException e = assertThrows(JhtraceException.class, this::locate);
        assertEquals(Failure.BAD_INPUT, e.failure());
        assertEquals("-Djhtrace.dbgeng.dir points to " + half + ", which does not hold both dbgeng.dll and dbghelp.dll", e.getMessage());
    }

    @Test
    void kitsRegistryRootBeforeProgramFiles() throws IOException {
        Path kitsRoot = root.resolve("Kits10");
        Path viaRegistry = engineFolder(kitsRoot.resolve("Debuggers").resolve("x64"), "symsrv.dll");
        Path pf = root.resolve("Program Files (x86)");
        engineFolder(pf.resolve("Windows Kits").resolve("10").resolve("Debuggers").resolve("x64"));
        kits = Optional.of(kitsRoot);
        env.put("ProgramFiles(x86)", pf.toString());
        DbgEngLocation loc = locate();
        assertEquals(viaRegistry.toAbsolutePath(), loc.folder());
        assertEquals(DbgEngLocation.Source.KITS_REGISTRY, loc.source());
    }

    @Test
    void registryPointingAtNothingFallsThroughToProgramFiles() throws IOException {
        kits = Optional.of(root.resolve("uninstalled"));
        Path pf = root.resolve("Program Files");
        Path dir = engineFolder(pf.resolve("Windows Kits").resolve("10").resolve("Debuggers").resolve("x64"));
        env.put("ProgramFiles", pf.toString());
        system32();
        DbgEngLocation loc = locate();
        assertEquals(dir.toAbsolutePath(), loc.folder());
        assertEquals(DbgEngLocation.Source.PROGRAM_FILES, loc.source());
        assertEquals(List.of("no symsrv.dll in " + dir + ": srv* symbol paths will not download symbols"), loc.warnings());
    }

    @Test
    void storeWinDbgNewestVersionIsCopiedToTheCacheOnceAndReused() throws IOException {
        Path pf = root.resolve("Program Files");
        Path apps = pf.resolve("WindowsApps");
        engineFolder(apps.resolve("Microsoft.WinDbg_1.2306.12001.0_x64__8wekyb3d8bbwe").resolve("amd64"), "symsrv.dll");
        Path newest = engineFolder(apps.resolve("Microsoft.WinDbg_1.2410.11001.0_x64__8wekyb3d8bbwe").resolve("amd64"),
                "symsrv.dll", "dbgmodel.dll", "dbgcore.dll", "unrelated.exe");
        engineFolder(apps.resolve("Microsoft.SomethingElse_9.0.0.0_x64__8wekyb3d8bbwe").resolve("amd64"));
        env.put("ProgramFiles", pf.toString());
        env.put("LOCALAPPDATA", root.resolve("Local").toString());
        system32();

        DbgEngLocation loc = locate();
        Path cache = root.resolve("Local").resolve("jhtrace").resolve("dbgeng-cache").resolve("Microsoft.WinDbg_1.2410.11001.0_x64__8wekyb3d8bbwe");
        assertEquals(DbgEngLocation.Source.WINDBG_STORE_CACHE, loc.source());
        assertEquals(cache.toAbsolutePath(), loc.folder());
        assertEquals("dummy dbgeng.dll", Files.readString(cache.resolve("dbgeng.dll")));
        assertTrue(Files.exists(cache.resolve("dbgmodel.dll")));
        assertTrue(loc.hasSymsrv());
        assertFalse(Files.exists(cache.resolve("unrelated.exe")), "only the engine's files are copied");

        // Second start: the cache is reused as is, even if the source changed meanwhile.
        Files.writeString(newest.resolve("dbgeng.dll"), "changed");
        assertEquals(cache.toAbsolutePath(), locate().folder());
        assertEquals("dummy dbgeng.dll", Files.readString(cache.resolve("dbgeng.dll")));
        try (var left = Files.list(cache.getParent())) {
            assertEquals(1, left.count(), "no temporary copy left behind");
        }
    }

    @Test
    void system32IsTheLastResortWithAWarning() throws IOException {
        Path sys = system32();
        env.put("ProgramFiles", root.resolve("empty-pf").toString());
        DbgEngLocation loc = locate();
        assertEquals(DbgEngLocation.Source.SYSTEM32, loc.source());
        assertEquals(sys.toAbsolutePath(), loc.folder());
        assertEquals(1, loc.warnings().size());
        assertTrue(loc.warnings().get(0).startsWith("using System32's dbgeng.dll: it has no symsrv.dll"), loc.warnings().get(0));
    }

    @Test
    void nothingFoundListsWhereItLooked() {
        env.put("ProgramFiles", root.resolve("pf").toString());
        env.put("SystemRoot", root.resolve("win").toString());
        JhtraceException e = assertThrows(JhtraceException.class, this::locate);
        assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
        assertTrue(e.getMessage().startsWith("dbgeng.dll not found (looked in "), e.getMessage());
        assertTrue(e.getMessage().contains(root.resolve("win").resolve("System32").toString()), e.getMessage());
        assertTrue(e.getMessage().endsWith("set -Djhtrace.dbgeng.dir / JHTRACE_DBGENG_DIR"), e.getMessage());
    }
}
