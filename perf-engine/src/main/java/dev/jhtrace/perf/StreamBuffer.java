package dev.jhtrace.perf;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * perf's stream read off its pipe as fast as perf writes it, by a thread of its own, and held until the decoder takes
 * it: a burst waits here, not in perf record's pipe, which would stall perf record until the kernel's ring overflows
 * and drops samples (a 64 KiB pipe holds about 30 stack samples). Bounded: beyond {@code maxBytes} held the pump
 * stops reading, perf record waits, and what the kernel then drops is counted as lost by perf. Thread-safe.
 */
final class StreamBuffer extends InputStream {
    private static final int CHUNK = 256 << 10; // below half a G1 region: not a humongous allocation
    private static final int READ = 64 << 10;
    private final InputStream in;
    private final long maxBytes;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>(); // guarded by this
    private long held; // bytes in chunks
    private long peak;
    private boolean ended;
    private IOException failure;
    private byte[] current = new byte[0];
    private int position;

    /** Starts pumping {@code in} from a daemon thread named {@code name}. */
    StreamBuffer(InputStream in, long maxBytes, String name) {
        this.in = in;
        this.maxBytes = maxBytes;
        Thread pump = new Thread(this::pump, name);
        pump.setDaemon(true);
        pump.start();
    }

    private void pump() {
        byte[] scratch = new byte[CHUNK]; // one, reused: only what was read is copied out (a new chunk per read of a
        // few KiB zeroed 256 KiB each time, gigabytes a second, and lost more events than a bare pipe)
        try {
            while (true) {
                int n = 0;
                // fill while perf has more ready; hand over what there is as soon as the pipe is empty
                do {
                    // at most a pipe's worth per call: the JDK's native read mallocs a buffer of the length asked for,
                    // and beyond 128 KiB that is an mmap and munmap per read
                    int r = in.read(scratch, n, Math.min(READ, CHUNK - n));
                    if (r < 0) {
                        push(scratch, n);
                        return;
                    }
                    n += r;
                } while (n < CHUNK && in.available() > 0);
                push(scratch, n);
            }
        } catch (IOException e) {
            synchronized (this) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private synchronized void push(byte[] chunk, int n) throws InterruptedException {
        if (n == 0) return;
        while (held >= maxBytes) wait();
        chunks.addLast(Arrays.copyOf(chunk, n));
        held += n;
        peak = Math.max(peak, held);
        notifyAll();
    }

    /** The most bytes held at once so far (for the benchmark). */
    synchronized long peakBytes() {
        return peak;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (position == current.length && !next()) return -1;
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    private synchronized boolean next() throws IOException {
        while (chunks.isEmpty()) {
            if (ended) {
                if (failure != null) throw failure;
                return false;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading perf's stream", e);
            }
        }
        current = chunks.removeFirst();
        position = 0;
        held -= current.length;
        notifyAll();
        return true;
    }
}
