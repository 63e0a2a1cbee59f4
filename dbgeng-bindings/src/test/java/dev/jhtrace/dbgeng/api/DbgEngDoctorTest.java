package dev.jhtrace.dbgeng.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jhtrace.dbgeng.engine.DbgEngLocation;
import dev.jhtrace.dbgeng.engine.LocatorEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor's report over real fake-Windows folder layouts (versions are only readable on Windows). */
class DbgEngDoctorTest {
    @TempDir
    Path root;

    @Test
    void describesTheFolderItWouldUse() throws Exception {
        Path x64 = Files.createDirectories(root.resolve("Kits").resolve("Debuggers").resolve("x64"));
        for (String f : new String[] {"dbgeng.dll", "dbghelp.dll"}) Files.writeString(x64.resolve(f), "x");
        LocatorEnvironment env = new LocatorEnvironment(k -> null, Map.<String, String>of()::get, () -> Optional.of(root.resolve("Kits")));
        DbgEngDoctor.Report r = DbgEngDoctor.describe(env, true, true);
        assertTrue(r.available());
        assertEquals(DbgEngLocation.Source.KITS_REGISTRY, r.location().source());
        assertFalse(r.symsrvPresent());
        String text = r.toText();
        assertTrue(text.contains("dbgeng.dll: " + x64.resolve("dbgeng.dll").toAbsolutePath()), text);
        assertTrue(text.contains("symsrv.dll: missing"), text);
        assertTrue(text.contains("warning: no symsrv.dll in"), text);
        assertTrue(text.contains("jvm: 64-bit JVM on"), text);
    }

    @Test
    void reportsWhyNotInsteadOfThrowing() {
        LocatorEnvironment env = new LocatorEnvironment(k -> null, Map.<String, String>of()::get, Optional::empty);
        DbgEngDoctor.Report r = DbgEngDoctor.describe(env, true, true);
        assertFalse(r.available());
        assertTrue(r.reason().startsWith("dbgeng.dll not found"), r.reason());
        DbgEngDoctor.Report r32 = DbgEngDoctor.describe(env, false, false);
        assertEquals("dbgeng is only available on Windows", r32.reason());
        assertTrue(r32.toText().contains("jvm: 32-bit JVM"), r32.toText());
    }

    @Test
    void describesAStartedClient() {
        MockDbgEng dbgeng = new MockDbgEng();
        org.mockito.Mockito.when(dbgeng.symbols.getSymbolPathWide()).thenReturn("srv*C:\\symbols");
        try (DbgEngClient s = DbgEngClient.start(dbgeng, DbgEngClientOptions.defaults())) {
            DbgEngDoctor.Report r = DbgEngDoctor.describe(s);
            assertEquals("srv*C:\\symbols", r.symbolPath());
            assertEquals("IDebugClient5", r.interfaces().get(0));
            assertTrue(r.toText().contains("interfaces: IDebugClient5, IDebugControl4, IDebugSymbols3"), r.toText());
        }
    }
}
