package dev.jhtrace.perf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Tracepoint samples and perf pipe-mode records built for tests, laid out as the kernel's format files (real tracefs)
 * and perf_event.h say: raw data at the tracepoint's field offsets, samples of IDENTIFIER, TID, TIME and RAW.
 */
final class PipeStreams {
    static final long SAMPLE_TYPE = 1 << 16 | 1 << 1 | 1 << 2 | 1 << 10; // IDENTIFIER, TID, TIME, RAW
    private static final Map<String, TracepointFormat> FORMATS = new HashMap<>();

    private PipeStreams() {
    }

    /** A tracepoint's format from this machine's tracefs ({@code syscalls:sys_exit_openat}). */
    static synchronized TracepointFormat format(String event) {
        return FORMATS.computeIfAbsent(event, e -> {
            int colon = e.indexOf(':');
            try {
                return TracepointFormat.read(PerfInstallation.tracefs(), e.substring(0, colon), e.substring(colon + 1));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        });
    }

    /** Raw tracepoint data with the given fields: numbers (Long, Integer) and strings (for __data_loc or char[N]). */
    static byte[] raw(TracepointFormat f, Map<String, ?> values) {
        int end = f.fields().values().stream().mapToInt(x -> x.offset() + x.size()).max().orElse(8);
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        byte[] fixed = new byte[end];
        Le.put16(fixed, 0, (int) f.id()); // common_type
        for (Map.Entry<String, ?> v : values.entrySet()) {
            TracepointFormat.Field field = f.fields().get(v.getKey());
            if (field == null) throw new IllegalArgumentException(f.name() + " has no field " + v.getKey());
            if (v.getValue() instanceof String text) {
                byte[] b = (text + "\0").getBytes(StandardCharsets.UTF_8);
                if (field.dataLoc()) {
                    Le.put32(fixed, field.offset(), (long) b.length << 16 | (end + tail.size()));
                    tail.writeBytes(b);
                } else {
                    System.arraycopy(b, 0, fixed, field.offset(), Math.min(b.length, field.size()));
                }
            } else {
                long n = ((Number) v.getValue()).longValue();
                switch (field.size()) {
                    case 4 -> Le.put32(fixed, field.offset(), n);
                    case 8 -> Le.put64(fixed, field.offset(), n);
                    default -> throw new IllegalArgumentException("size " + field.size());
                }
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(fixed);
        all.writeBytes(tail.toByteArray());
        return all.toByteArray();
    }

    /** A whole sample record of {@link #SAMPLE_TYPE}, its event's id {@code id}. */
    static byte[] sample(long id, int pid, int tid, long monoNanos, byte[] raw) {
        int rawSize = 4 + raw.length;
        int size = 8 + 8 + 8 + 8 + ((rawSize + 7) & ~7);
        byte[] r = new byte[size];
        Le.put32(r, 0, 9);
        Le.put16(r, 6, size);
        Le.put64(r, 8, id);
        Le.put32(r, 16, pid);
        Le.put32(r, 20, tid);
        Le.put64(r, 24, monoNanos);
        Le.put32(r, 32, size - 36); // perf pads the raw data so that the record ends on 8 bytes
        System.arraycopy(raw, 0, r, 36, raw.length);
        return r;
    }

    /** A decoded sample, as the pipe reader would hand it over. */
    static TraceSample decoded(String event, int pid, int tid, long monoNanos, Map<String, ?> values) {
        TracepointFormat f = format(event);
        byte[] r = sample(f.id(), pid, tid, monoNanos, raw(f, values));
        return new TraceSample(pid, tid, monoNanos, f, r, 36, r.length - 36, null);
    }

    /** The pipe-mode file header. */
    static byte[] fileHeader() {
        byte[] h = new byte[16];
        Le.put64(h, 0, 0x32454c4946524550L);
        Le.put64(h, 8, 16);
        return h;
    }

    /** A PERF_RECORD_HEADER_ATTR of a tracepoint with {@link #SAMPLE_TYPE} and one event id. */
    static byte[] attr(TracepointFormat f, long id) {
        int attrSize = 128;
        byte[] r = new byte[8 + attrSize + 8];
        Le.put32(r, 0, PipeReader.HEADER_ATTR);
        Le.put16(r, 6, r.length);
        Le.put32(r, 8, 2); // PERF_TYPE_TRACEPOINT
        Le.put32(r, 12, attrSize);
        Le.put64(r, 16, f.id());
        Le.put64(r, 32, SAMPLE_TYPE);
        Le.put64(r, 8 + attrSize, id);
        return r;
    }

    /** PERF_RECORD_LOST of {@code count}. */
    static byte[] lost(long count) {
        byte[] r = new byte[24];
        Le.put32(r, 0, 2);
        Le.put16(r, 6, 24);
        Le.put64(r, 16, count);
        return r;
    }

    /** PERF_RECORD_FINISHED_ROUND. */
    static byte[] round() {
        byte[] r = new byte[8];
        Le.put32(r, 0, PipeReader.FINISHED_ROUND);
        Le.put16(r, 6, 8);
        return r;
    }
}
