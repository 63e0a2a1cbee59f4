package dev.jhtrace.perf;

import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceRetention;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For benchmarks/: decodes a recorded perf pipe stream (perf record -o - > FILE) through the same reader, sorter,
 * decoder and recorder as a live trace, from memory, ROUNDS times, and prints the events decoded per second of the
 * last round (the first ones warm the JIT up): the decoder's capacity without perf record or the pipe.
 *
 * <p>Arguments: FILE ROUNDS EVENT... (the tracepoints recorded, e.g. syscalls:sys_exit_openat).
 */
public final class PipeDecodeRunner {
    private PipeDecodeRunner() {
    }

    public static void main(String[] args) throws Exception {
        byte[] stream = Files.readAllBytes(Path.of(args[0]));
        int rounds = Integer.parseInt(args[1]);
        Map<Long, TracepointFormat> formats = new HashMap<>();
        for (String e : List.of(args).subList(2, args.length)) {
            TracepointFormat f = PipeStreams.format(e);
            formats.put(f.id(), f);
        }
        for (int r = 1; r <= rounds; r++) {
            PerfTracing tracing = new PerfTracing(PerfInstallation.fromPath(), Integer.MAX_VALUE, TraceRetention.DEFAULT);
            long t0 = System.nanoTime();
            tracing.decode(new ByteArrayInputStream(stream), TraceOptions.DEFAULT, formats);
            long nanos = System.nanoTime() - t0;
            long events = tracing.eventCount();
            if (r == rounds || r == 1) {
                System.out.printf("decode round %d: %d events %d bytes in %.3f s: %.0f events/s, %.0f MB/s%n", r, events, stream.length,
                        nanos / 1e9, events / (nanos / 1e9), stream.length / (nanos / 1e9) / 1e6);
            }
        }
    }
}
