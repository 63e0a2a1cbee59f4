package dev.jhtrace.dbgeng.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jhtrace.dbgeng.engine.DbgEngLoader;
import dev.jhtrace.dbgeng.engine.LocatorEnvironment;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Off Windows, everything that would load dbgeng says so in one line. */
@DisabledOnOs(OS.WINDOWS)
class NotWindowsTest {

    @Test
    void clientStartRefuses() {
        JhtraceException e = assertThrows(JhtraceException.class, DbgEngClient::start);
        assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
        assertEquals("dbgeng is only available on Windows", e.getMessage());
    }

    @Test
    void loaderRefusesEvenWithAConfiguredFolder() {
        LocatorEnvironment env = new LocatorEnvironment(k -> "/nonexistent", k -> null, java.util.Optional::empty);
        JhtraceException e = assertThrows(JhtraceException.class, () -> DbgEngLoader.load(env));
        assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
        assertEquals("dbgeng is only available on Windows", e.getMessage());
    }

    @Test
    void doctorReportsUnavailableWithoutThrowing() {
        DbgEngDoctor.Report r = DbgEngDoctor.describe();
        assertFalse(r.available());
        assertEquals("dbgeng is only available on Windows", r.reason());
        assertNull(r.location());
        assertEquals("dbgeng: unavailable: dbgeng is only available on Windows", r.toText().lines().findFirst().orElseThrow());
    }
}
