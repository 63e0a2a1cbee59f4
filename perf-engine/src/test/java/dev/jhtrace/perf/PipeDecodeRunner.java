package dev.jhtrace.perf;

import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceRetention;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For benchmarks/decoder-throughput.sh, on a recorded perf pipe stream ({@code perf record -o - > FILE}):
 * <ul>
 *   <li>{@code count FILE EVENT...}: the samples it holds and the loss it reports (LOST and LOST_SAMPLES records);</li>
 *   <li>{@code decode FILE ROUNDS EVENT...}: decodes it from memory through the same reader, sorter, decoder and
 *   recorders as a live trace (every process of it traced, as with --all), ROUNDS times, and prints the events decoded
 *   per second of the first round (a cold JIT) and the median of the second half (compiled): the decoder's capacity without perf record or
 *   the pipe. EVENT: the tracepoints recorded, e.g. syscalls:sys_exit_openat.</li>
 *   <li>{@code ring}: the ring the engine gives perf record per CPU on this machine, in pages ({@link RingSize}).</li>
 * </ul>
 */
public final class PipeDecodeRunner {
    private PipeDecodeRunner() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("ring")) {
            System.out.println(RingSize.pagesForThisMachine());
            return;
        }
        byte[] stream = Files.readAllBytes(Path.of(args[1]));
        boolean count = args[0].equals("count");
        Map<Long, TracepointFormat> formats = new HashMap<>();
        for (String e : List.of(args).subList(count ? 2 : 3, args.length)) {
            TracepointFormat f = PipeStreams.format(e);
            formats.put(f.id(), f);
        }
        if (count) {
            count(stream, formats);
            return;
        }
        int rounds = Integer.parseInt(args[2]);
        double[] rates = new double[rounds];
        long events = 0;
        for (int r = 0; r < rounds; r++) {
            int target = Integer.getInteger("target", PerfTracing.SYSTEM_WIDE);
            PerfTracing tracing = new PerfTracing(PerfInstallation.fromPath(), target, TraceRetention.DEFAULT);
            long t0 = System.nanoTime();
            tracing.decode(new ByteArrayInputStream(stream), TraceOptions.DEFAULT, formats);
            long nanos = System.nanoTime() - t0;
            events = tracing.eventCount();
            for (HandleSource p : tracing.processSources()) events += p.tracing().orElseThrow().eventCount();
            rates[r] = events / (nanos / 1e9);
        }
        double[] warm = java.util.Arrays.copyOfRange(rates, rounds / 2, rounds); // the second half: compiled by then
        java.util.Arrays.sort(warm);
        System.out.printf("java decoder: %d events (%d bytes) per round; first round %.0f events/s, median of the last %d rounds %.0f events/s%n",
                events, stream.length, rates[0], warm.length, warm[warm.length / 2]);
    }

    private static void count(byte[] stream, Map<Long, TracepointFormat> formats) throws Exception {
        long[] n = new long[4];
        new PipeReader(new ByteArrayInputStream(stream), formats, new PipeReader.Listener() {
            @Override
            public void sample(long sequence, TraceSample sample) {
                if (n[0]++ == 0) n[3] = sample.pid();
            }

            @Override
            public void lost(long count) {
                n[1] += count;
            }

            @Override
            public void lostSamples(long count) {
                n[2] += count;
            }

            @Override
            public void round() {
            }
        }).run();
        System.out.println("samples " + n[0] + " lost " + Math.max(n[1], n[2]) + " first-pid " + n[3]);
    }
}
