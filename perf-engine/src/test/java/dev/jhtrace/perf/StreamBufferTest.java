package dev.jhtrace.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamBufferTest {
    @Test
    void aRealPipeComesThroughWholeAcrossChunksWithinItsBound(@TempDir Path dir) throws Exception {
        byte[] data = new byte[11 << 20]; // nearly three chunks
        new Random(42).nextBytes(data);
        Path file = dir.resolve("stream");
        Files.write(file, data);
        Process cat = new ProcessBuilder("cat", file.toString()).start();
        long bound = 1 << 20;
        StreamBuffer buffer = new StreamBuffer(cat.getInputStream(), bound, "test-pump");
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] b = new byte[70_001];
        int size = 1;
        while (true) {
            // record-sized reads and single bytes, as the pipe reader's are, across chunk ends
            int n = size % 7 == 0 ? buffer.read() : buffer.readNBytes(b, 0, size);
            if (size % 7 == 0) {
                if (n < 0) break;
                read.write(n);
            } else {
                if (n <= 0) break;
                read.write(b, 0, n);
            }
            size = size * 31 % b.length + 1;
        }
        assertEquals(0, cat.waitFor());
        assertArrayEquals(data, read.toByteArray());
        // the pump stops once the bound is held: at most one read beyond it
        assertTrue(buffer.peakBytes() <= bound + (64 << 10), "held at most " + buffer.peakBytes());
        assertEquals(-1, buffer.read());
    }

    /**
     * Less direct memory than the bound (12 MiB: three chunks): the pump holds what fits and waits for the decoder, and
     * the stream comes through whole. Without the wait the pump died of OutOfMemoryError and the stream ended there.
     */
    @Test
    void lessDirectMemoryThanTheBoundHoldsWhatFitsAndLosesNothing(@TempDir Path dir) throws Exception {
        byte[] data = new byte[40 << 20];
        new Random(7).nextBytes(data);
        Path file = dir.resolve("stream");
        Files.write(file, data);
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(javaBin.toString(), "-XX:MaxDirectMemorySize=12m", "-cp", System.getProperty("java.class.path"),
                StreamWithLittleMemory.class.getName(), file.toString(), Long.toString(12L << 20)).redirectErrorStream(true).start();
        String out = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(jvm.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("whole", out.strip(), out);
    }
}
