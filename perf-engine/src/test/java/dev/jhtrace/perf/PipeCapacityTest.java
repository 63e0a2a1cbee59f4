package dev.jhtrace.perf;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipeCapacityTest {
    @Test
    void anotherProcesssPipeIsWidenedAndStillCarriesItsData() throws Exception {
        // the child writes only after being told, so its line is written through the widened pipe
        Process p = new ProcessBuilder("sh", "-c", "read go; echo written through").start();
        try {
            assertEquals(64 << 10, PipeCapacity.of(p.pid(), 1)); // the kernel's default
            assertEquals(PipeCapacity.WIDE_BYTES, PipeCapacity.widen(p.pid(), 1));
            assertEquals(PipeCapacity.WIDE_BYTES, PipeCapacity.of(p.pid(), 1));
            p.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            assertEquals("written through\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            assertEquals(0, p.waitFor());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void whatIsNotAPipeIsLeftAlone() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").redirectOutput(ProcessBuilder.Redirect.DISCARD).start(); // /dev/null
        try {
            assertEquals(-1, PipeCapacity.widen(p.pid(), 1));
            assertEquals(-1, PipeCapacity.widen(p.pid(), 77)); // no such descriptor
            assertTrue(p.isAlive());
        } finally {
            p.destroyForcibly();
        }
        assertEquals(-1, PipeCapacity.widen(Integer.MAX_VALUE, 1)); // no such process
    }
}
