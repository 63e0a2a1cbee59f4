package dev.jhtrace.session;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.LoadedModule;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.testing.RecordingSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A diff is symbolized the way production does it: one resolveAll per diff, through one cache, the module maps behind it. */
class SymbolizationTest {
    private static final long MAIN = 0x401234, HELPER = 0x401300, LIBC = 0x7f00_0000_1100L, UNLOADED = 0x7f10_0000_0042L, NOWHERE = 0x10;

    private static RecordingSource target() {
        RecordingSource t = new RecordingSource();
        t.symbols.put(MAIN, new StackFrame(MAIN, "srv", "main", 0x34L, "srv.c", 12));
        t.symbols.put(HELPER, new StackFrame(HELPER, "srv", "helper", 0x10L, null, null));
        t.symbols.put(LIBC, new StackFrame(LIBC, "libc.so.6", "open64", 0x41L, null, null));
        t.modules.add(new LoadedModule(0x7f00_0000_0000L, 0x7f00_0010_0000L, "libc.so.6", "/lib/libc.so.6"));
        t.modules.add(new LoadedModule(0x7f10_0000_0000L, 0x7f10_0001_0000L, "libplugin.so", "/opt/libplugin.so"));
        return t;
    }

    @Test
    void oneEngineCallPerDiffForTheAddressesNotAskedBefore() {
        RecordingSource t = target();
        HtraceSession session = new HtraceSession(t);
        Snapshot start = session.enable(TraceOptions.DEFAULT);
        t.open(3, LIBC, MAIN);
        t.open(4, LIBC, HELPER, MAIN);
        t.open(5, LIBC, MAIN);
        Diff first = session.diff(start);
        assertEquals(List.of("resolveAll 3"), t.calls.stream().filter(c -> c.startsWith("resolve")).toList(), "one call, each address once");
        assertEquals("srv!main+0x34", first.outstanding().get(0).open().stack().frame(1).symbol());
        assertEquals("libc.so.6!open64+0x41", first.outstanding().get(1).open().stack().frame(0).symbol());
        assertEquals("srv!helper+0x10", first.outstanding().get(1).open().stack().frame(1).symbol());

        t.open(6, LIBC, MAIN);
        session.diff(start);
        assertEquals(1, t.resolveAllCalls(), "every address known: the engine is not asked again");

        t.open(7, LIBC, UNLOADED, MAIN);
        session.diff(start);
        assertEquals(List.of("resolveAll 3", "resolveAll 1"), t.calls.stream().filter(c -> c.startsWith("resolve")).toList());
    }

    @Test
    void framesTheEngineCannotResolveCarryModuleAndOffsetFromTheMapsRecordedWhileItRan() {
        RecordingSource t = target();
        HtraceSession session = new HtraceSession(t);
        Snapshot start = session.enable(TraceOptions.DEFAULT);
        t.open(3, UNLOADED, NOWHERE, MAIN);
        t.modules.clear(); // unloaded, then the target exits: only the maps recorded at enable know the library
        t.endTarget();
        Diff diff = session.diff(start);
        OutstandingHandle h = diff.outstanding().get(0);
        assertEquals("libplugin.so+0x42", h.open().stack().frame(0).symbol());
        assertEquals(StackFrame.unresolved(NOWHERE), h.open().stack().frame(1), "outside every module: the bare address");
        assertEquals("srv!main+0x34", h.open().stack().frame(2).symbol());
        assertEquals(1, t.resolveAllCalls());
    }

    @Test
    void aCaptureRecordIsSymbolizedInOneBatchWithTheMapsBehindIt() {
        RecordingSource t = target();
        dev.jhtrace.capture.Recorder recorder = new dev.jhtrace.capture.Recorder(t, 1, 20, 100, java.time.Clock.systemUTC());
        recorder.start(TraceOptions.DEFAULT);
        t.open(3, UNLOADED, MAIN);
        t.open(4, LIBC, MAIN);
        var record = recorder.record(1);
        assertEquals(List.of("enable", "resolveAll 3"), t.calls);
        assertEquals(List.of("libplugin.so+0x42", "libc.so.6!open64+0x41"),
                record.groups().stream().map(g -> g.stack().frame(0).symbol()).sorted(java.util.Comparator.reverseOrder()).toList());
    }

    @Test
    void aStackSymbolizedAloneIsOneBatchToo() {
        RecordingSource t = target();
        CachingSymbolizer symbolizer = new CachingSymbolizer(t.symbols(), new dev.jhtrace.model.StackTable());
        var stack = new dev.jhtrace.model.StackTrace(List.of(StackFrame.unresolved(LIBC), StackFrame.unresolved(MAIN)));
        assertEquals("libc.so.6!open64+0x41", symbolizer.resolve(stack).frame(0).symbol());
        assertEquals(symbolizer.resolve(stack), symbolizer.resolve(stack));
        assertEquals(List.of("resolveAll 2"), t.calls);
    }
}
