package dev.jhtrace.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds of what is kept for unwinding later: raw samples while their descriptors are open, and the side-band. */
class StackSamplesTest {
    private static final PerfInstallation PERF = new PerfInstallation("perf", "setpriv");

    private static RawStack sample(long sequence, int pid, int bytes) {
        return new RawStack(sequence, pid, pid, sequence, new byte[bytes]);
    }

    /** A side-band record of {@code type} about {@code pid} (FORK: parent {@code ppid}; EXIT of the process). */
    private static byte[] record(int type, int pid, int ppid, int bytes) {
        byte[] r = new byte[bytes];
        Le.put32(r, 0, type);
        Le.put16(r, 6, bytes);
        Le.put32(r, 8, pid);
        Le.put32(r, 12, ppid);
        Le.put32(r, 16, pid);
        return r;
    }

    @Test
    void rawSamplesAreHeldWhileOpenWithinTheirBoundAndGoAtTheLastClose() {
        StackSamples s = new StackSamples(PERF, 16, 1_500, 2_000, 1 << 20);
        RawStack pipe = sample(1, 7, 1_000);
        assertTrue(s.hold(pipe));
        assertTrue(s.hold(pipe), "a pipe's second descriptor shares its sample");
        assertEquals(1_000, s.heldBytes());
        RawStack second = sample(2, 7, 800);
        assertTrue(s.hold(second));
        assertTrue(s.unwindDue(), "over the due mark a background unwind is due");
        RawStack third = sample(3, 7, 800);
        assertFalse(s.hold(third), "beyond the bound a sample's stack is not kept");
        assertFalse(third.hasBytes());
        assertArrayEquals(new long[] {1, 0}, s.notKept());
        s.release(pipe);
        assertEquals(1_800, s.heldBytes(), "the pipe's other end is still open");
        s.release(pipe);
        s.release(second);
        assertEquals(0, s.heldBytes());
        assertEquals(0, s.heldSamples());
        assertFalse(pipe.hasBytes(), "its bytes went at the last close");
    }

    @Test
    void theSideBandOfExitedProcessesGoesFirstUnlessAHeldSampleOrALiveChildNeedsIt() {
        StackSamples s = new StackSamples(PERF, 16, 1 << 20, 1 << 20, 1_000);
        s.header(0, new byte[100]);
        s.sideBand(1, record(10, 20, 0, 200), 10, 20, false); // MMAP2 of 20, which will exit with nothing held
        s.sideBand(2, record(10, 30, 0, 200), 10, 30, false); // MMAP2 of 30, which exits holding a sample
        s.sideBand(3, record(10, 40, 0, 200), 10, 40, false); // MMAP2 of 40, which exits leaving a live child 41
        s.sideBand(4, record(7, 41, 40, 40), 7, 41, false); // FORK 40 -> 41
        assertTrue(s.hold(sample(5, 30, 64)));
        for (int pid : new int[] {20, 30, 40}) s.sideBand(6, record(4, pid, 1, 40), 4, pid, true); // EXITs
        assertEquals(100 + 3 * 200 + 40 + 3 * 40, s.keptBytes());
        s.sideBand(7, record(10, 50, 0, 200), 10, 50, false); // over the bound: 20's records go, 30's and 40's stay
        assertEquals(100 + 2 * 200 + 40 + 2 * 40 + 200, s.keptBytes());
        s.sideBand(8, record(10, 60, 0, 200), 10, 60, false); // nothing more may go: not kept, counted
        assertEquals(1, s.notKept()[1]);
    }

    /** An exec's COMM record is preceded in the rebuilt stream by a FORK that starts the process afresh (no maps). */
    @Test
    void anExecsCommIsPrecededByAForkThatStartsTheProcessWithoutMaps() {
        // COMM exec of pid 31059: "fdzoo" (6 bytes with its NUL, padded to 8), then sample id fields pid, tid, time
        byte[] comm = new byte[8 + 8 + 8 + 16];
        Le.put32(comm, 0, 3);
        Le.put16(comm, 4, 0x2000);
        Le.put16(comm, 6, comm.length);
        Le.put32(comm, 8, 31059);
        Le.put32(comm, 12, 31059);
        System.arraycopy("fdzoo".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, comm, 16, 5);
        Le.put32(comm, 24, 31059);
        Le.put32(comm, 28, 31059);
        Le.put64(comm, 32, 44861_066438836L);
        StackSamples s = new StackSamples(PERF, 16, 1 << 20, 1 << 20, 1 << 20);
        s.sideBand(1, comm, 3, 31059, false);
        assertEquals(comm.length + 8 + 24 + 16, s.keptBytes(), "the COMM and a FORK before it");

        byte[] fork = StackSamples.freshThreadAtExec(comm);
        assertEquals(7, Le.u32(fork, 0), "PERF_RECORD_FORK");
        assertEquals(0x2000, Le.u16(fork, 4), "PERF_RECORD_MISC_FORK_EXEC: perf copies no maps from the parent");
        assertEquals(fork.length, Le.u16(fork, 6));
        assertEquals(31059, Le.u32(fork, 8), "pid");
        assertEquals(31059, Le.u32(fork, 16), "tid");
        assertTrue(Le.u32(fork, 12) > 4_194_304L, "a parent no pid can be (above the largest pid_max)");
        assertEquals(44861_066438836L, Le.u64(fork, 8 + 24 + 8), "the COMM's time stamp: perf keeps equal ones in order");

        byte[] plain = comm.clone();
        Le.put16(plain, 4, 0); // a COMM that is no exec (prctl): nothing added
        StackSamples t = new StackSamples(PERF, 16, 1 << 20, 1 << 20, 1 << 20);
        t.sideBand(1, plain, 3, 31059, false);
        assertEquals(plain.length, t.keptBytes());
    }

    /** Held samples are counted per process: a process's log with none of its own runs no perf script. */
    @Test
    void heldSamplesAreCountedPerProcess() {
        StackSamples s = new StackSamples(PERF, 16, 1 << 20, 1 << 20, 1 << 20);
        RawStack mine = sample(1, 7, 64);
        assertTrue(s.hold(mine));
        assertTrue(s.hold(sample(2, 8, 64)));
        assertEquals(1, s.heldSamples(7));
        assertEquals(0, s.heldSamples(9));
        s.release(mine);
        assertEquals(0, s.heldSamples(7));
        assertEquals(1, s.heldSamples(8));
    }
}
