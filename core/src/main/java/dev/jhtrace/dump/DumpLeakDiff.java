package dev.jhtrace.dump;

import dev.jhtrace.analysis.HtraceDiff;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.session.CachingSymbolizer;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        Snapshot start = new Snapshot("trace start", written, -1, null);
        Diff raw = HtraceDiff.compute(source.target(), start, log, now, written);
        CachingSymbolizer symbolizer = new CachingSymbolizer(source.symbols(), new StackTable());
        List<OutstandingHandle> resolved = new ArrayList<>(raw.size());
        for (OutstandingHandle h : raw.outstanding()) {
            TraceEvent open = h.open();
            if (open != null) {
                open = new TraceEvent(open.order(), open.kind(), open.handle(), open.pid(), open.tid(), open.epochNanos(),
                        symbolizer.resolve(open.stack()));
            }
            resolved.add(new OutstandingHandle(h.handle(), h.entry(), open, h.stackLost()));
        }
        return new Diff(raw.target(), start, raw.time(), resolved, raw.newEvents(), raw.lostEvents());
    }
}
