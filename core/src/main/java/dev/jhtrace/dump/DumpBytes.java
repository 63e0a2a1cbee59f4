package dev.jhtrace.dump;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Bounds-checked little-endian reads from a dump's bytes. Every read is checked against the size of
 * the file before anything is allocated, so a hostile count or RVA costs an error, never memory.
 * Reads from a file go through positional {@link FileChannel} reads (no mapping, so the file is
 * released the moment the channel closes, which matters on Windows).
 */
final class DumpBytes {
    /** Largest single read; a dump's metadata streams are tiny, so anything bigger is corrupt. */
    static final int MAX_READ_BYTES = 256 << 20;

    private final String label;
    private final long size;
    private final FileChannel channel;
    private final byte[] array;

    private DumpBytes(String label, long size, FileChannel channel, byte[] array) {
        this.label = label;
        this.size = size;
        this.channel = channel;
        this.array = array;
    }

    static DumpBytes of(String label, FileChannel channel) throws IOException {
        return new DumpBytes(label, channel.size(), channel, null);
    }

    static DumpBytes of(String label, byte[] bytes) {
        return new DumpBytes(label, bytes.length, null, bytes);
    }

    long size() {
        return size;
    }

    String label() {
        return label;
    }

    /** The bad-input error for this dump: one line naming the file. */
    JhtraceException bad(String message) {
        return new JhtraceException(Failure.BAD_INPUT, label + ": not a usable minidump: " + message);
    }

    /** Checks that {@code length} bytes at {@code offset} lie inside the file. */
    void check(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw bad(what + " (" + length + " bytes at 0x" + Long.toHexString(offset)
                    + ") lies outside the file (" + size + " bytes)");
        }
    }

    /** {@code length} bytes at {@code offset} as a little-endian buffer positioned at 0. */
    ByteBuffer slice(long offset, long length, String what) {
        check(offset, length, what);
        if (length > MAX_READ_BYTES) throw bad(what + " claims " + length + " bytes, more than any metadata stream holds");
        int n = (int) length;
        if (array != null) return ByteBuffer.wrap(array, (int) offset, n).slice().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer buffer = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, offset + buffer.position());
                if (read < 0) throw bad(what + " ends early: the file shrank while it was being read");
            }
        } catch (IOException e) {
            throw bad("cannot read " + what + ": " + e.getMessage());
        }
        return buffer.flip();
    }

    /** An unsigned 32-bit value. */
    long u32(long offset, String what) {
        return Integer.toUnsignedLong(slice(offset, 4, what).getInt(0));
    }
}
