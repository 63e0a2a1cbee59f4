package dev.jhtrace.perf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * perf's stream read off its pipe as fast as perf writes it, by a thread of its own, and held until the decoder takes
 * it: a burst waits here, not in perf record's pipe, which would stall perf record until the kernel's ring overflows
 * and drops samples (a 64 KiB pipe holds about 30 stack samples). Bounded: beyond {@code maxBytes} held the pump
 * stops reading, perf record waits, and what the kernel then drops is counted as lost by perf. Thread-safe.
 *
 * <p>The stream (hundreds of MB a second at 200,000 events/s) is held in fixed chunks outside the Java heap, reused:
 * nothing is allocated per read and no collection ever copies it. Held on the heap, it was the engine's loss at high
 * rates: each young collection copied the stream held ahead of the decoder (100 MB and more), stopping the pump for
 * hundreds of milliseconds, while a 16 MiB ring of perf's fills in about 70 ms at that rate.
 */
final class StreamBuffer extends InputStream {
    /** The pump publishes what it has read as it goes, so a large chunk delays nothing. */
    private static final int CHUNK = 4 << 20;
    /** At most a pipe's worth per read: the JDK's native read mallocs a buffer of the length asked for (mmap beyond 128 KiB). */
    private static final int READ = 64 << 10;
    /** Free chunks kept for reuse; a longer backlog's chunks beyond this go to the collector once read. */
    private static final int MAX_FREE_CHUNKS = 4;
    private final InputStream in;
    private final long maxBytes;
    // guarded by this: chunks in stream order; the last one is being filled by the pump up to tailFill
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int tailFill; // bytes the pump has put into chunks.peekLast()
    private long held; // bytes read from the pipe and not yet by the decoder
    private long peak;
    private boolean ended;
    private boolean decoderWaiting;
    private IOException failure;
    // the decoder's: the chunk it reads (chunks.peekFirst() once taken), where, and how far it may read
    private ByteBuffer current;
    private int position;
    private int limit;
    private int consumedMark; // position in current up to which held was reduced

    /** Starts pumping {@code in} from a daemon thread named {@code name}. */
    StreamBuffer(InputStream in, long maxBytes, String name) {
        this.in = in;
        this.maxBytes = maxBytes;
        Thread pump = new Thread(this::pump, name);
        pump.setDaemon(true);
        pump.start();
    }

    private void pump() {
        byte[] scratch = new byte[READ];
        try {
            while (true) {
                ByteBuffer tail;
                int at;
                synchronized (this) {
                    while (held >= maxBytes) wait();
                    tail = chunks.peekLast();
                    if (tail == null || tailFill == CHUNK) {
                        tail = nextChunk();
                        chunks.addLast(tail);
                        tailFill = 0;
                    }
                    at = tailFill;
                }
                // outside the lock: the decoder reads this chunk only below tailFill
                int r = in.read(scratch, 0, Math.min(READ, CHUNK - at));
                if (r < 0) return;
                tail.put(at, scratch, 0, r);
                synchronized (this) {
                    tailFill += r;
                    held += r;
                    peak = Math.max(peak, held);
                    if (decoderWaiting) notifyAll();
                }
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

    /**
     * A chunk to fill: a free one, or a new one. The JVM's direct memory ({@code -XX:MaxDirectMemorySize}, by default
     * the heap's maximum) may be smaller than the bound: then what is held is all there is room for, and the pump waits
     * for the decoder to give a chunk back, as at the bound. Under the lock.
     */
    private ByteBuffer nextChunk() throws IOException, InterruptedException {
        while (true) {
            ByteBuffer chunk = free.pollFirst();
            if (chunk != null) return chunk;
            try {
                return ByteBuffer.allocateDirect(CHUNK);
            } catch (OutOfMemoryError e) {
                if (chunks.isEmpty()) throw new IOException("no memory for perf's stream: " + e.getMessage(), e);
                wait(); // the decoder notifies when it gives a chunk back
            }
        }
    }

    /** The most bytes held at once so far (for the benchmark). */
    synchronized long peakBytes() {
        return peak;
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !next()) return -1;
        return current.get(position++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (position == limit && !next()) return -1;
        int n = Math.min(len, limit - position);
        current.get(position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int readNBytes(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = read(b, off + n, len - n);
            if (r < 0) break;
            n += r;
        }
        return n;
    }

    /** Waits for bytes beyond what the decoder has read: more of the chunk it reads, or the next one. */
    private synchronized boolean next() throws IOException {
        while (true) {
            if (current != null) {
                boolean full = held >= maxBytes;
                held -= position - consumedMark;
                consumedMark = position;
                if (full && held < maxBytes) notifyAll(); // the pump may wait for room, whatever the decoder does next
                int available = current == chunks.peekLast() ? tailFill : CHUNK;
                if (position < available) {
                    limit = available;
                    return true;
                }
                if (current != chunks.peekLast()) { // read to its end: the chunk goes back to the pump
                    chunks.removeFirst();
                    if (free.size() < MAX_FREE_CHUNKS) free.addLast(current);
                    current = null;
                    notifyAll();
                    continue;
                }
            } else if (!chunks.isEmpty()) {
                current = chunks.peekFirst();
                position = 0;
                consumedMark = 0;
                limit = 0;
                continue;
            }
            if (ended) {
                free.clear(); // nothing more to read: the memory goes
                chunks.clear();
                current = null;
                position = 0;
                limit = 0;
                if (failure != null) throw failure;
                return false;
            }
            decoderWaiting = true;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading perf's stream", e);
            } finally {
                decoderWaiting = false;
            }
        }
    }
}
