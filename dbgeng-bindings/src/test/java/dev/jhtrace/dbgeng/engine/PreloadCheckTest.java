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
    void fileVersionFormatting() {
        assertEquals("10.0.26100.1", FileVersions.format((10 << 16), (26100 << 16) | 1));
        assertEquals("65535.1.40000.7", FileVersions.format((0xFFFF << 16) | 1, (40000 << 16) | 7));
    }
}
