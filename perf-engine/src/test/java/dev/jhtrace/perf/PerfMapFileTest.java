package dev.jhtrace.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JIT's perf map as a JVM writes it: entries found by address, the newest of overlapping ones, names as the gdb engine gives them. */
class PerfMapFileTest {
    @TempDir
    Path dir;

    @Test
    void entriesAreFoundByAddressAndJavaMethodsLoseTheirReturnType() throws Exception {
        Files.writeString(dir.resolve("perf-42.map"), String.join("\n",
                "0x7f0000001000 0x100 Interpreter",
                "0x7f0000002000 0x80 void LeakyJava.leakOne(java.lang.String, boolean)",
                "0x7f0000002000 0x40 int Other.reused()",   // the same space, written later: the live code
                "0x7f0000003000 0x20 StubRoutines (1)",
                "not an entry", ""));
        PerfMapFile map = PerfMapFile.of(dir, 42, Instant.now().minusSeconds(60)).orElseThrow();
        assertEquals("Interpreter", map.name(map.find(0x7f0000001010L)));
        assertEquals("Other.reused()", map.name(map.find(0x7f0000002010L)), "the later entry at the same start");
        assertEquals("LeakyJava.leakOne(java.lang.String, boolean)", map.name(map.find(0x7f0000002050L)));
        assertEquals(0x7f0000002000L, map.start(map.find(0x7f0000002050L)));
        assertEquals("StubRoutines (1)", map.name(map.find(0x7f0000003000L)));
        assertEquals(-1, map.find(0x7f0000003020L), "past the last entry's end");
        assertEquals(-1, map.find(0x10L));
    }

    @Test
    void aMapOlderThanTheProcessIsNotUsed() throws Exception {
        Path path = dir.resolve("perf-43.map");
        Files.writeString(path, "0x1000 0x10 void Stale.method()\n");
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        assertTrue(PerfMapFile.of(dir, 43, Instant.now().minusSeconds(60)).isEmpty());
        assertTrue(PerfMapFile.of(dir, 43, Instant.now().minus(Duration.ofHours(2))).isPresent());
        assertTrue(PerfMapFile.of(dir, 44, Instant.EPOCH).isEmpty(), "no map");
    }
}
