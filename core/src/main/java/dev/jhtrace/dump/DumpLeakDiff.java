package dev.jhtrace.dump;

import dev.jhtrace.analysis.HtraceDiff;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.time.Instant;

/**
 * Builds the leak diff of a dump's handle trace: {@code !htrace -diff} against the start of the trace,
 * so every handle whose newest operation is an OPEN is outstanding.
 */
final class DumpLeakDiff {
    private DumpLeakDiff() {
    }

    static Diff of(MinidumpHandleSource source) {
        TraceLog log = source.tracing().orElseThrow(() -> new JhtraceException(Failure.BAD_INPUT,
                source.dump().source() + ": the dump has no handle trace (stream 18); enable one (!htrace -enable or "
                        + "Application Verifier's Handles check) before writing the dump with handle data")).log();
        HandleTable now = source.dump().hasHandleData() ? source.handles() : null;
        Instant written = source.dump().header().time();
        Snapshot start = new Snapshot("trace start", written, Snapshot.BEFORE_FIRST_EVENT, null);
        Diff raw = HtraceDiff.compute(source.target(), start, log, now, written);
        return new HtraceSession(source).withResolvedStacks(raw, start);
    }
}
