package dev.jhtrace.perf;

import java.util.Arrays;

/**
 * A JVM with little direct memory (StreamBufferTest runs it with -XX:MaxDirectMemorySize): streams the file in its
 * argument through a StreamBuffer whose bound is far above that memory, lets the pump fill what it can before reading,
 * and prints "whole" when every byte came through in order, else what it got.
 */
public final class StreamWithLittleMemory {
    private StreamWithLittleMemory() {
    }

    public static void main(String[] args) throws Exception {
        byte[] data;
        try (java.io.FileInputStream in = new java.io.FileInputStream(args[0])) {
            data = in.readAllBytes(); // not Files.readAllBytes: its temporary buffer is direct memory, of which there is little
        }
        long heldBeforeReading = Long.parseLong(args[1]);
        Process cat = new ProcessBuilder("cat", args[0]).start();
        StreamBuffer buffer = new StreamBuffer(cat.getInputStream(), 256L << 20, "little-pump");
        long deadline = System.nanoTime() + 30_000_000_000L;
        // the pump fills all the memory there is (or the stream ends) before the decoder takes anything
        while (buffer.peakBytes() < heldBeforeReading && System.nanoTime() < deadline) Thread.onSpinWait();
        byte[] read = buffer.readAllBytes();
        System.out.println(Arrays.equals(data, read) ? "whole" : "got " + read.length + " of " + data.length + " bytes");
    }
}
