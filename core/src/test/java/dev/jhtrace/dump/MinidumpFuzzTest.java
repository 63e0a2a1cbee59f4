package dev.jhtrace.dump;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded mutation fuzzer over the real fixture dumps and the synthetic ones: after any mutation the
 * reader, the handle source, the trace and the leak diff either work or fail with one line of
 * BAD_INPUT. Each iteration has its own seed, so a failure names what to replay. Runs a fixed number
 * of iterations, then continues for {@code jhtrace.fuzz.seconds} (default 20) of wall time.
 */
class MinidumpFuzzTest {
    private static final long SEED = Long.getLong("jhtrace.fuzz.seed", 0x6A6874726163L);
    private static final long SECONDS = Long.getLong("jhtrace.fuzz.seconds", 20);
    private static final int MIN_ITERATIONS = 3000;
    private static final int MAX_ITERATIONS = 2_000_000;

    /** A seed input and the byte ranges whose mutation reaches the decoder. */
    private record Input(String name, byte[] bytes, List<long[]> regions) {
    }

    private static Input input(String name, byte[] bytes) {
        Minidump d = Minidump.parse(bytes, name);
        List<long[]> regions = new ArrayList<>();
        regions.add(new long[] {0, d.header().streamDirectoryRva() + (long) d.directory().size() * Layout.DIRECTORY_SIZE});
        for (StreamEntry e : d.directory()) {
            if (List.of(4L, 7L, 12L, 15L, 18L).contains(e.streamType())) {
                // strings and ObjectInfo records sit near the stream that references them
                regions.add(new long[] {Math.max(0, e.rva() - 8192), Math.min(bytes.length, e.rva() + e.dataSize() + 8192)});
            }
        }
        return new Input(name, bytes, regions);
    }

    private static final int[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 32, 36, 40, 64, 108, 287, 288, 289, 0xFFFE, 0xFFFF,
        0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF0, 3_000_000, 0x504D444D};

    private static byte[] mutate(Input in, Random r, StringBuilder what) {
        byte[] b = in.bytes().clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds; k++) {
            long[] region = r.nextInt(10) == 0 ? new long[] {0, b.length} : in.regions().get(r.nextInt(in.regions().size()));
            int span = (int) Math.max(1, Math.min(b.length, region[1]) - region[0]);
            int at = (int) Math.min(b.length - 1, region[0] + r.nextInt(span));
            switch (r.nextInt(6)) {
                case 0 -> { // flip bits
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    what.append(" flip@").append(at);
                }
                case 1 -> { // random byte
                    b[at] = (byte) r.nextInt(256);
                    what.append(" byte@").append(at);
                }
                case 2 -> { // an interesting 32-bit value on a field boundary
                    int aligned = Math.min(at & ~3, b.length - 4);
                    int v = r.nextInt(4) == 0 ? r.nextInt(b.length + 64) : INTERESTING[r.nextInt(INTERESTING.length)];
                    TestDumpWriter.putU32(b, aligned, Integer.toUnsignedLong(v));
                    what.append(" u32@").append(aligned).append('=').append(Integer.toUnsignedString(v));
                }
                case 3 -> { // an RVA pointing somewhere else in the file
                    int aligned = Math.min(at & ~3, b.length - 4);
                    int v = r.nextInt(b.length);
                    TestDumpWriter.putU32(b, aligned, v);
                    what.append(" rva@").append(aligned).append('=').append(v);
                }
                case 4 -> { // copy a chunk over another place
                    int len = 1 + r.nextInt(64);
                    int from = r.nextInt(b.length);
                    int n = Math.min(len, Math.min(b.length - from, b.length - at));
                    System.arraycopy(b, from, b, at, n);
                    what.append(" copy").append(from).append("->").append(at).append('x').append(n);
                }
                default -> { // truncate
                    int n = r.nextInt(4) == 0 ? r.nextInt(b.length + 1) : Math.max(0, at);
                    b = Arrays.copyOf(b, n);
                    what.append(" cut@").append(n);
                    if (b.length < 8) return b;
                }
            }
        }
        return b;
    }

    /** Decodes and uses a dump as the CLI would; true when it worked, false when it was rejected cleanly. */
    private static boolean exercise(byte[] bytes, OperationOrder order) {
        try {
            Minidump d = Minidump.parse(bytes, "fuzz.dmp");
            MinidumpHandleSource s = new MinidumpHandleSource(d, order);
            if (d.hasHandleData()) s.handles().countsByType();
            s.tracing().ifPresent(t -> t.log().size());
            if (d.hasHandleOperations()) LeakAnalyzer.DEFAULT.analyze(s.leakDiff(), "minidump");
            return true;
        } catch (JhtraceException e) {
            assertEquals(Failure.BAD_INPUT, e.failure(), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            return false;
        }
    }

    @Test
    @Timeout(300) // a hang fails here instead of stalling the build
    void mutatedDumpsParseOrFailWithBadInput() {
        List<Input> inputs = new ArrayList<>();
        for (String f : List.of(Fixtures.BREAKPAD, Fixtures.WER, Fixtures.CHROME)) inputs.add(input(f, Fixtures.bytes(f)));
        inputs.add(input("leaking", SyntheticDumpTest.leakingDump().build()));
        inputs.add(input("chains", new TestDumpWriter().unusedStreams(2)
                .handle(0x48, "Mutant", "\\BaseNamedObjects\\m", 0x1f0001, new ObjectInfo(3, new byte[16]), new ObjectInfo(2, new byte[8]))
                .handle(0x4c, "Thread", null, 0x1fffff, new ObjectInfo(1, new byte[48]))
                .handle(new TestDumpWriter.Handle(0x50, null, null, 0, 0, 0, 0, List.of())).build()));
        inputs.add(input("narrow", new TestDumpWriter().descriptorSize(32).pid(9).handle(0x4, "File", "\\Device\\Null", 1).build()));

        long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
        int iterations = 0, accepted = 0, rejected = 0;
        for (; iterations < MAX_ITERATIONS && (iterations < MIN_ITERATIONS || System.nanoTime() < deadline); iterations++) {
            Input in = inputs.get(iterations % inputs.size());
            Random r = new Random(SEED * 31 + iterations);
            StringBuilder what = new StringBuilder();
            byte[] mutated = mutate(in, r, what);
            OperationOrder order = r.nextBoolean() ? OperationOrder.NEWEST_FIRST : OperationOrder.OLDEST_FIRST;
            try {
                if (exercise(mutated, order)) accepted++; else rejected++;
            } catch (Throwable t) {
                fail("seed " + SEED + " iteration " + iterations + " on " + in.name() + " (" + what.toString().trim() + "): " + t, t);
            }
        }
        System.out.printf("minidump fuzz: %d iterations, %d decoded, %d rejected as BAD_INPUT%n", iterations, accepted, rejected);
        assertTrue(accepted > 0 && rejected > 0, "the mutator should produce both usable and broken dumps");
    }
}
