package dev.jhtrace.dbgeng.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreloadCheckTest {
    private final Path tools = Path.of("/kits/Debuggers/x64");
    private final DbgEngLocation location = new DbgEngLocation(tools, DbgEngLocation.Source.KITS_REGISTRY, List.of());

    @Test
    void nothingPreloadedIsFine() {
        assertEquals(List.of(), PreloadCheck.check(location, Map.of()));
    }

    @Test
    void ourOwnCopyAlreadyLoadedIsARestartAndFine() {
        assertEquals(List.of(), PreloadCheck.check(location, Map.of(
                "dbgeng.dll", tools.resolve("dbgeng.dll"), "dbghelp.dll", tools.resolve("dbghelp.dll"))));
    }

    @Test
    void system32DbgengAlreadyLoadedIsRefused() {
        JhtraceException e = assertThrows(JhtraceException.class, () -> PreloadCheck.check(location,
                Map.of("dbgeng.dll", Path.of("/Windows/System32/dbgeng.dll"))));
        assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
        assertTrue(e.getMessage().contains("(the System32 copy)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("run jhtrace in a fresh JVM"), e.getMessage());
    }

    @Test
    void foreignDbghelpIsAWarning() {
        List<String> w = PreloadCheck.check(location, Map.of("dbghelp.dll", Path.of("/Windows/System32/dbghelp.dll")));
        assertEquals(1, w.size());
        assertTrue(w.get(0).startsWith("dbghelp.dll is already loaded from /Windows/System32/dbghelp.dll (System32)"), w.get(0));
    }

    @Test
    void aForeignDbgmodelIsRefusedAForeignSymsrvIsAWarning() {
        JhtraceException e = assertThrows(JhtraceException.class, () -> PreloadCheck.check(location,
                Map.of("dbgmodel.dll", Path.of("/Windows/System32/dbgmodel.dll"))));
        assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
        assertTrue(e.getMessage().contains("dbgmodel.dll loaded (the System32 copy), which does not match"), e.getMessage());
        List<String> w = PreloadCheck.check(location, Map.of("symsrv.dll", Path.of("/other/symsrv.dll")));
        assertEquals(1, w.size());
        assertTrue(w.get(0).startsWith("symsrv.dll is already loaded from /other/symsrv.dll;"), w.get(0));
    }

    @Test
    void everyCompanionInTheFolderLoadsBeforeDbgengByAbsolutePath(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        for (String dll : List.of("dbgeng.dll", "dbghelp.dll", "dbgmodel.dll", "symsrv.dll")) java.nio.file.Files.writeString(dir.resolve(dll), "x");
        DbgEngLocation here = new DbgEngLocation(dir, DbgEngLocation.Source.ENVIRONMENT, List.of());
        assertEquals(List.of(dir.resolve("dbghelp.dll"), dir.resolve("symsrv.dll"), dir.resolve("dbgmodel.dll"), dir.resolve("dbgeng.dll")),
                here.loadOrder(), "dbgcore is absent here; dbgmodel before dbgeng, so dbgeng never pulls in System32's");
        assertTrue(here.loadOrder().stream().allMatch(Path::isAbsolute));
    }

    @Test
    void fileVersionFormatting() {
        assertEquals("10.0.26100.1", FileVersions.format((10 << 16), (26100 << 16) | 1));
        assertEquals("65535.1.40000.7", FileVersions.format((0xFFFF << 16) | 1, (40000 << 16) | 7));
    }
}
