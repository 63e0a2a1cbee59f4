package dev.jhtrace.perf;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads perf's pipe-mode stream ({@code perf record -o -}: tools/perf/Documentation/perf.data-file-format.txt, "Pipe
 * mode") as it arrives: a 16-byte header, then records of {@code {u32 type; u16 misc; u16 size}}. The attributes
 * ({@code PERF_RECORD_HEADER_ATTR}) give each event's sample layout and ids; samples of tracepoints are decoded in place
 * (fields from the tracepoint's format); what perf script needs to unwind a stack later (the header records and the
 * side-band: MMAP, MMAP2, COMM, FORK, EXIT ...) is handed over whole. Not thread-safe: one reader per stream.
 */
final class PipeReader {
    static final int HEADER_ATTR = 64;
    static final int TRACING_DATA = 66;
    static final int FINISHED_ROUND = 68;
    private static final int MMAP = 1;
    private static final int LOST = 2;
    private static final int COMM = 3;
    private static final int EXIT = 4;
    private static final int THROTTLE = 5;
    private static final int UNTHROTTLE = 6;
    private static final int FORK = 7;
    private static final int SAMPLE = 9;
    private static final int MMAP2 = 10;
    private static final int LOST_SAMPLES = 13;
    private static final int SWITCH = 14;
    private static final int SWITCH_CPU_WIDE = 15;
    private static final int AUXTRACE = 71;
    // perf_event.h's sample_type bits, in the order their fields follow each other
    private static final long IP = 1, TID = 1 << 1, TIME = 1 << 2, ADDR = 1 << 3, READ = 1 << 4, CALLCHAIN = 1 << 5, ID = 1 << 6,
            CPU = 1 << 7, PERIOD = 1 << 8, STREAM_ID = 1 << 9, RAW = 1 << 10, BRANCH_STACK = 1 << 11, REGS_USER = 1 << 12,
            STACK_USER = 1 << 13, IDENTIFIER = 1 << 16;
    private static final long EXCLUDE_CALLCHAIN_USER = 1L << 22; // perf_event_attr's flags: set for DWARF call graphs
    private static final long FORMAT_TOTAL_TIME_ENABLED = 1, FORMAT_TOTAL_TIME_RUNNING = 2, FORMAT_ID = 4, FORMAT_GROUP = 8, FORMAT_LOST = 16;

    /** What the stream says, record by record. */
    interface Listener {
        /**
         * The file header, or a header record (attributes, tracing data, features ...), to replay before side-band.
         * A listener that rebuilds no stream for perf script ignores it.
         */
        default void header(long sequence, byte[] record) {
        }

        /** A side-band record, {@code pid} the process it is about (-1 when none); ignored as {@link #header} is. */
        default void sideBand(long sequence, byte[] record, int type, int pid, boolean processExit) {
        }

        /** A tracepoint sample. */
        void sample(long sequence, TraceSample sample);

        /** PERF_RECORD_LOST: samples the kernel dropped, its ring full. */
        void lost(long count);

        /** PERF_RECORD_LOST_SAMPLES: an event's own count of dropped samples, read by perf record at its end. */
        void lostSamples(long count);

        /** PERF_RECORD_FINISHED_ROUND: perf record has read every ring once more. */
        void round();

        /**
         * Whether the stream's bytes behind the samples may be reused once the round mark after the next has been
         * handled: true for a listener done with every sample received before a round mark by the time it has handled
         * the next one (as a {@link RoundSorter} is), which then keeps the raw stacks it still needs with
         * {@link #detach}. By default false: samples keep their bytes for as long as the listener keeps them.
         */
        default boolean reusesBytes() {
            return false;
        }

        /** The stream's bytes behind these raw stacks are about to be reused: those still needed take a copy. */
        default void detach(java.util.List<RawStack> stacks) {
        }

        /** The stream ended (or broke off): whatever is held back is due. */
        default void end() {
        }
    }

    /** @param userCallchain the kernel writes the user stack's frame-pointer walk into the sample (a call graph "fp") */
    private record Attr(TracepointFormat format, long sampleType, long readFormat, int userRegs, int spSlot, int bpSlot, boolean userCallchain) {
    }

    private final InputStream in;
    private final Map<Long, TracepointFormat> formats; // by tracepoint id (attr.config)
    private final Listener listener;
    private final Map<Long, Attr> byId = new HashMap<>();
    private Attr only; // the first attribute: a stream of one event has no sample ids
    private long lastId;
    private Attr lastAttr;
    private long otherId;
    private Attr otherAttr;
    private int attrs;
    private long sequence;
    private final byte[] buffer = new byte[1 << 16]; // one record (its size is a u16), reused: what is kept is copied out
    // Samples are read into segments, a round's own, and handed over in place, never copied: once the listener is done
    // with a round (the next round mark handled), its segments hold samples for the next round (reusesBytes).
    // A humongous object under G1, as StreamBuffer's chunks are: never copied by a collection (at 200,000 events/s a
    // round is several MB, and smaller segments, tens of them live at once, were copied into the old generation).
    private static final int SEGMENT = (4 << 20) - 64;
    private static final int MAX_FREE_SEGMENTS = 4;
    private final java.util.ArrayDeque<byte[]> freeSegments = new java.util.ArrayDeque<>();
    private Round receiving = new Round(); // samples received since the last round mark
    private Round previous = new Round(); // those received between the two last round marks
    private byte[] segment;
    private int segmentFill;

    /** The segments holding a round's samples, and the raw stacks that view them. */
    private static final class Round {
        final java.util.ArrayList<byte[]> segments = new java.util.ArrayList<>(4);
        final java.util.ArrayList<RawStack> stacks = new java.util.ArrayList<>();
        final java.util.ArrayList<TraceSample> samples = new java.util.ArrayList<>(); // handed over: reused once done with

        void clear() {
            segments.clear();
            stacks.clear();
            samples.clear();
        }
    }

    // sample objects of rounds the listener is done with, for the next ones (only when it reusesBytes)
    private final java.util.ArrayList<TraceSample> freeSamples = new java.util.ArrayList<>();

    PipeReader(InputStream in, Map<Long, TracepointFormat> formats, Listener listener) {
        this.in = in;
        this.formats = formats;
        this.listener = listener;
    }

    /** Reads to the end of the stream; false when it did not start with a pipe-mode header. */
    boolean run() throws IOException {
        byte[] file = new byte[16];
        if (in.readNBytes(file, 0, 16) < 16) return false;
        if (Le.u64(file, 0) != 0x32454c4946524550L || Le.u64(file, 8) != 16) return false; // "PERFILE2", size 16: pipe mode
        listener.header(sequence++, file);
        while (true) {
            int n = in.readNBytes(buffer, 0, 8);
            if (n == 0) return true;
            if (n < 8) throw new EOFException("perf's stream ended inside a record header");
            int type = (int) Le.u32(buffer, 0);
            int size = Le.u16(buffer, 6);
            if (size < 8) throw new IOException("perf's stream is corrupt: a record of " + size + " bytes");
            if (type == SAMPLE) {
                int at = reserve(size);
                System.arraycopy(buffer, 0, segment, at, 8);
                if (in.readNBytes(segment, at + 8, size - 8) < size - 8) throw new EOFException("perf's stream ended inside a record");
                if (sample(sequence++, segment, at, size)) segmentFill = at + size;
                continue;
            }
            if (in.readNBytes(buffer, 8, size - 8) < size - 8) throw new EOFException("perf's stream ended inside a record");
            byte[] record = java.util.Arrays.copyOf(buffer, size);
            if (type == TRACING_DATA || type == AUXTRACE) record = withPayload(record, type);
            dispatch(type, record);
            if (type == FINISHED_ROUND) nextRound();
        }
    }

    /** Where a sample of {@code size} bytes goes in the receiving round's segment. */
    private int reserve(int size) {
        if (segment == null || segmentFill + size > segment.length) {
            segment = freeSegments.isEmpty() ? new byte[SEGMENT] : freeSegments.removeFirst();
            segmentFill = 0;
            receiving.segments.add(segment);
        }
        return segmentFill;
    }

    /**
     * A round mark handled: the listener is done with the samples received before the previous one, so their segments
     * are reused (the raw stacks still needed copied out first) when it says so.
     */
    private void nextRound() {
        Round done = previous;
        previous = receiving;
        segment = null; // a segment holds one round's samples only
        if (!listener.reusesBytes()) {
            receiving = new Round();
            return;
        }
        if (!done.stacks.isEmpty()) listener.detach(done.stacks);
        for (byte[] s : done.segments) if (freeSegments.size() < MAX_FREE_SEGMENTS) freeSegments.addLast(s);
        for (TraceSample s : done.samples) freeSamples.add(s.set(0, 0, 0, null, null, 0, 0, null)); // nothing kept alive by it
        done.clear();
        receiving = done; // its lists' room too
    }

    /** A record followed by a payload its body gives the size of (tracing data: u32 at 8; auxtrace: u64 at 8). */
    private byte[] withPayload(byte[] record, int type) throws IOException {
        long extra = type == TRACING_DATA ? Le.u32(record, 8) : Le.u64(record, 8);
        if (extra < 0 || extra > 1 << 30) throw new IOException("perf's stream is corrupt: a payload of " + extra + " bytes");
        byte[] whole = java.util.Arrays.copyOf(record, record.length + (int) extra);
        if (in.readNBytes(whole, record.length, (int) extra) < extra) throw new EOFException("perf's stream ended inside a payload");
        return whole;
    }

    private void dispatch(int type, byte[] r) {
        long seq = sequence++;
        switch (type) {
            case LOST -> listener.lost(Le.u64(r, 16));
            case LOST_SAMPLES -> listener.lostSamples(Le.u64(r, 8));
            case FINISHED_ROUND -> listener.round();
            case THROTTLE, UNTHROTTLE, SWITCH, SWITCH_CPU_WIDE -> {
                // nothing perf script's unwinding needs
            }
            case MMAP, MMAP2, COMM -> listener.sideBand(seq, r, type, (int) Le.u32(r, 8), false);
            case EXIT -> listener.sideBand(seq, r, type, (int) Le.u32(r, 8), Le.u32(r, 8) == Le.u32(r, 16));
            case FORK -> listener.sideBand(seq, r, type, (int) Le.u32(r, 8), false);
            default -> {
                if (type == HEADER_ATTR) attr(r);
                if (type >= HEADER_ATTR) listener.header(seq, r);
                else listener.sideBand(seq, r, type, -1, false);
            }
        }
    }

    /** perf_event_attr (its own size at 12), then the ids of its events to the record's end. */
    private void attr(byte[] r) {
        long attrSize = Le.u32(r, 12);
        long config = Le.u64(r, 16);
        long sampleType = Le.u64(r, 32);
        long readFormat = Le.u64(r, 40);
        long regsMask = attrSize >= 88 ? Le.u64(r, 8 + 80) : 0; // sample_regs_user
        int userRegs = Long.bitCount(regsMask);
        boolean userCallchain = (sampleType & CALLCHAIN) != 0 && (sampleType & STACK_USER) == 0 && (Le.u64(r, 48) & EXCLUDE_CALLCHAIN_USER) == 0;
        Attr a = new Attr(Le.u32(r, 8) == 2 ? formats.get(config) : null, sampleType, readFormat, userRegs,
                UserRegisters.slot(regsMask, UserRegisters.SP), UserRegisters.slot(regsMask, UserRegisters.BP), userCallchain); // 2: PERF_TYPE_TRACEPOINT
        if (attrs++ == 0) only = a;
        for (int at = 8 + (int) attrSize; at + 8 <= r.length; at += 8) byId.put(Le.u64(r, at), a);
    }

    /**
     * A sample at {@code r[base..base + size)} (the receiving round's segment), decoded in place and handed over as it
     * lies there; false when it is not handed over (no tracepoint asked for, or corrupt), so its bytes are not kept.
     */
    private boolean sample(long seq, byte[] r, int base, int size) {
        int at = base + 8;
        Attr a;
        if (only != null && (only.sampleType & IDENTIFIER) != 0) {
            a = attrOf(Le.u64(r, at));
        } else if (attrs == 1) {
            a = only;
        } else {
            a = only == null ? null : attrOf(Le.u64(r, base + idOffset(only.sampleType)));
        }
        if (a == null || a.format == null) return false; // an event of no tracepoint jhtrace asked for
        long st = a.sampleType;
        if ((st & IDENTIFIER) != 0) at += 8;
        if ((st & IP) != 0) at += 8;
        int pid = 0;
        int tid = 0;
        if ((st & TID) != 0) {
            pid = (int) Le.u32(r, at);
            tid = (int) Le.u32(r, at + 4);
            at += 8;
        }
        long time = 0;
        if ((st & TIME) != 0) {
            time = Le.u64(r, at);
            at += 8;
        }
        if ((st & ADDR) != 0) at += 8;
        if ((st & ID) != 0) at += 8;
        if ((st & STREAM_ID) != 0) at += 8;
        if ((st & CPU) != 0) at += 8;
        if ((st & PERIOD) != 0) at += 8;
        if ((st & READ) != 0) at += readSize(r, at, a.readFormat);
        if ((st & CALLCHAIN) != 0) at += 8 + 8 * (int) Le.u64(r, at);
        if ((st & RAW) == 0) return false;
        int rawLength = (int) Le.u32(r, at);
        int rawOffset = at + 4;
        if (rawOffset + rawLength > base + size) return false; // corrupt: not decoded
        at = rawOffset + rawLength;
        if ((st & BRANCH_STACK) != 0 || (st & STACK_USER) == 0 && !a.userCallchain()) {
            listener.sample(seq, newSample(pid, tid, time, a.format, r, rawOffset, rawLength, null));
            return true;
        }
        long sp = 0, bp = 0;
        if ((st & REGS_USER) != 0) {
            boolean none = Le.u64(r, at) == 0; // abi, then the registers unless none
            if (!none && a.spSlot() >= 0) sp = Le.u64(r, at + 8 + 8 * a.spSlot());
            if (!none && a.bpSlot() >= 0) bp = Le.u64(r, at + 8 + 8 * a.bpSlot());
            at += none ? 8 : 8 + 8 * a.userRegs;
        }
        RawStack stack = new RawStack(seq, pid, tid, time, r, base, size, at + 8 <= base + size ? at - base : -1, sp, bp);
        receiving.stacks.add(stack);
        listener.sample(seq, newSample(pid, tid, time, a.format, r, rawOffset, rawLength, stack));
        return true;
    }

    /** A sample object: one the listener is done with when it reuses bytes (see {@link #nextRound}), else a new one. */
    private TraceSample newSample(int pid, int tid, long time, TracepointFormat format, byte[] r, int rawOffset, int rawLength, RawStack stack) {
        if (!listener.reusesBytes()) return new TraceSample(pid, tid, time, format, r, rawOffset, rawLength, stack);
        TraceSample s = freeSamples.isEmpty() ? new TraceSample(pid, tid, time, format, r, rawOffset, rawLength, stack)
                : freeSamples.remove(freeSamples.size() - 1).set(pid, tid, time, format, r, rawOffset, rawLength, stack);
        receiving.samples.add(s);
        return s;
    }

    /**
     * The attribute of event id {@code id}, the two last found remembered: each event has an id per CPU, and a steady
     * stream alternates between a few (a map lookup boxed the id for every sample).
     */
    private Attr attrOf(long id) {
        if (id == lastId && lastAttr != null) return lastAttr;
        if (id == otherId && otherAttr != null) {
            Attr a = otherAttr;
            otherId = lastId;
            otherAttr = lastAttr;
            lastId = id;
            lastAttr = a;
            return a;
        }
        Attr a = byId.get(id);
        if (a == null) return null;
        otherId = lastId;
        otherAttr = lastAttr;
        lastId = id;
        lastAttr = a;
        return a;
    }

    /** Where PERF_SAMPLE_ID lies in a sample without an identifier. */
    private static int idOffset(long st) {
        int at = 8;
        if ((st & IP) != 0) at += 8;
        if ((st & TID) != 0) at += 8;
        if ((st & TIME) != 0) at += 8;
        if ((st & ADDR) != 0) at += 8;
        return at;
    }

    private static int readSize(byte[] r, int at, long rf) {
        int extra = ((rf & FORMAT_TOTAL_TIME_ENABLED) != 0 ? 8 : 0) + ((rf & FORMAT_TOTAL_TIME_RUNNING) != 0 ? 8 : 0);
        int perValue = 8 + ((rf & FORMAT_ID) != 0 ? 8 : 0) + ((rf & FORMAT_LOST) != 0 ? 8 : 0);
        if ((rf & FORMAT_GROUP) == 0) return extra + perValue;
        return 8 + extra + perValue * (int) Le.u64(r, at);
    }
}
