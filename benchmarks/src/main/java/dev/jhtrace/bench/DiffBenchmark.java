package dev.jhtrace.bench;

import dev.jhtrace.analysis.HtraceDiff;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Diff plus group-by-stack over a million OPEN events (and half as many CLOSEs) with 200 distinct 16-frame stacks. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class DiffBenchmark {
    @Param("1000000")
    public int opens;

    private TraceLog log;
    private Snapshot snapshot;

    @Setup
    public void setUp() {
        log = SyntheticTrace.build(opens, 200, 42);
        snapshot = new Snapshot("bench", Instant.EPOCH, -1, null);
    }

    @Benchmark
    public LeakReport diffAndGroupByStack() {
        Diff diff = HtraceDiff.compute(new TargetInfo(100, "bench"), snapshot, log, null, Instant.EPOCH);
        return LeakAnalyzer.DEFAULT.analyze(diff, "bench");
    }
}
