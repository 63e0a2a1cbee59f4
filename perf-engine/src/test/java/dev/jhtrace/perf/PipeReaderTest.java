package dev.jhtrace.perf;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipeReaderTest {
    private static final TracepointFormat OPENAT = PipeStreams.format("syscalls:sys_exit_openat");
    private static final TracepointFormat CLOSE = PipeStreams.format("syscalls:sys_enter_close");
    private static final long STACK_SAMPLE_TYPE = PipeStreams.SAMPLE_TYPE | 1 << 12 | 1 << 13; // REGS_USER, STACK_USER
    private static final int STACK = 256; // perf's fixed copy
    private static final int DYN = 20; // what the kernel copied of it

    /** An openat sample with user registers (abi none) and a stack copy filled with {@code fill}, of which DYN bytes are real. */
    private static byte[] stackSample(int pid, long time, long fd, byte fill) {
        byte[] base = PipeStreams.sample(100, pid, pid, time, PipeStreams.raw(OPENAT, Map.of("ret", fd)));
        byte[] r = Arrays.copyOf(base, base.length + 8 + 8 + STACK + 8);
        int at = base.length;
        Le.put64(r, at, 0); // PERF_SAMPLE_REGS_ABI_NONE: no registers follow
        Le.put64(r, at + 8, STACK);
        Arrays.fill(r, at + 16, at + 16 + STACK, fill);
        Le.put64(r, at + 16 + STACK, DYN);
        Le.put16(r, 6, r.length);
        return r;
    }

    /** The sample as kept: its stack copy cut to DYN rounded up to 8. */
    private static byte[] trimmed(byte[] sample) {
        int stackAt = sample.length - 8 - STACK - 8;
        int keep = (DYN + 7) & ~7;
        byte[] t = new byte[sample.length - STACK + keep];
        System.arraycopy(sample, 0, t, 0, stackAt + 8 + keep);
        System.arraycopy(sample, stackAt + 8 + STACK, t, stackAt + 8 + keep, 8);
        Le.put64(t, stackAt, keep);
        Le.put16(t, 6, t.length);
        return t;
    }

    @Test
    void aStackStillHeldWhenItsRoundsBytesAreReusedKeepsACopyAndAClosedOneLetsThemGo() throws Exception {
        byte[] attr = PipeStreams.attr(OPENAT, 100);
        Le.put64(attr, 32, STACK_SAMPLE_TYPE);
        byte[] a = stackSample(7, 10, 3, (byte) 0xaa);
        byte[] b = stackSample(7, 11, 4, (byte) 0xbb);
        byte[] c = stackSample(7, 40, 5, (byte) 0xcc);
        byte[] d = stackSample(7, 41, 6, (byte) 0xdd);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(PipeStreams.fileHeader());
        stream.writeBytes(attr);
        stream.writeBytes(PipeStreams.attr(CLOSE, 200));
        stream.writeBytes(a);
        stream.writeBytes(b);
        stream.writeBytes(PipeStreams.sample(200, 7, 7, 12, PipeStreams.raw(CLOSE, Map.of("fd", 3L))));
        stream.writeBytes(PipeStreams.round());
        stream.writeBytes(PipeStreams.round()); // the first round's bytes are reused from here on
        stream.writeBytes(c); // written where a was
        stream.writeBytes(d); // and where b was
        stream.writeBytes(PipeStreams.round());
        stream.writeBytes(PipeStreams.round());

        StackSamples samples = new StackSamples(PerfInstallation.fromPath(), 16);
        Map<Long, RawStack> byFd = new HashMap<>();
        Map<Long, RawStack> open = new HashMap<>();
        List<Integer> detached = new java.util.ArrayList<>();
        boolean pipeMode = new PipeReader(new ByteArrayInputStream(stream.toByteArray()), Map.of(OPENAT.id(), OPENAT, CLOSE.id(), CLOSE), new PipeReader.Listener() {
            @Override
            public void sample(long sequence, TraceSample s) {
                if (s.event().equals("sys_exit_openat")) {
                    byFd.put(s.number("ret"), s.stack());
                    open.put(s.number("ret"), s.stack());
                    assertTrue(samples.hold(s.stack()));
                } else {
                    samples.release(open.remove(s.number("fd")));
                }
            }

            @Override
            public void lost(long count) {
            }

            @Override
            public void lostSamples(long count) {
            }

            @Override
            public void round() {
            }

            @Override
            public boolean reusesBytes() {
                return true;
            }

            @Override
            public void detach(List<RawStack> stacks) {
                detached.add(stacks.size());
                samples.detach(stacks);
            }
        }).run();
        assertTrue(pipeMode);
        assertEquals(List.of(2, 2), detached, "each round's stacks once, when its bytes are reused");
        assertFalse(byFd.get(3L).hasBytes(), "closed within its round: never copied");
        assertArrayEquals(trimmed(b), byFd.get(4L).bytes(), "still open: its own copy, taken before d overwrote the bytes");
        assertArrayEquals(trimmed(c), byFd.get(5L).bytes());
        assertArrayEquals(trimmed(d), byFd.get(6L).bytes());
        assertEquals(3, samples.heldSamples());
        assertEquals(3L * trimmed(b).length, samples.heldBytes());
    }
}
