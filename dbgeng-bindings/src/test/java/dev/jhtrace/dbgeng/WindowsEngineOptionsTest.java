package dev.jhtrace.dbgeng;

import dev.jhtrace.dbgeng.nt.NtHandleTracing;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowsEngineOptionsTest {
    @Test
    void defaultsAreSafe() {
        WindowsEngineOptions o = WindowsEngineOptions.fromProperties(new Properties());
        assertEquals(WindowsEngineOptions.DEFAULT, o);
        assertFalse(o.acceptInvalidHandleExceptions());
        assertEquals(NtHandleTracing.OnClose.LEAVE_ON, o.onClose());
        assertFalse(o.queryPipeLikeNames());
        assertEquals(1000, o.nameTimeoutMillis());
    }

    @Test
    void propertiesOverrideAndBadValuesAreBadInput() {
        Properties p = new Properties();
        p.setProperty("jhtrace.dbgeng.acceptInvalidHandleExceptions", "TRUE");
        p.setProperty("jhtrace.dbgeng.disableTracingOnClose", "true");
        p.setProperty("jhtrace.dbgeng.nameTimeoutMillis", "250");
        WindowsEngineOptions o = WindowsEngineOptions.fromProperties(p);
        assertTrue(o.acceptInvalidHandleExceptions());
        assertEquals(NtHandleTracing.OnClose.DISABLE_IF_OURS, o.onClose());
        assertEquals(250, o.nameTimeoutMillis());
        p.setProperty("jhtrace.dbgeng.pollIntervalMillis", "soon");
        JhtraceException e = assertThrows(JhtraceException.class, () -> WindowsEngineOptions.fromProperties(p));
        assertEquals(Failure.BAD_INPUT, e.failure());
        assertEquals("jhtrace.dbgeng.pollIntervalMillis must be a number, not 'soon'", e.getMessage());
        p.setProperty("jhtrace.dbgeng.pollIntervalMillis", "-1");
        assertEquals(Failure.BAD_INPUT, assertThrows(JhtraceException.class, () -> WindowsEngineOptions.fromProperties(p)).failure());
    }
}
