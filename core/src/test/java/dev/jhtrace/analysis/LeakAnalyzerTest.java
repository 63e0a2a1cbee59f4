package dev.jhtrace.analysis;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeakAnalyzerTest {
    private final Events events = new Events();
    private final StackTrace fileLeak = events.stack("ntdll!ZwCreateFile", "KERNELBASE!CreateFileW", "kernel32!CreateFileWStub", "app!LeakFile", "app!main");
    private final StackTrace fileLeakOtherCaller = events.stack("ntdll!ZwCreateFile", "KERNELBASE!CreateFileW", "kernel32!CreateFileWStub", "app!LeakFile", "app!worker");
    private final StackTrace eventLeak = events.stack("ntdll!NtCreateEvent", "KERNELBASE!CreateEventW", "app!LeakEvent", "app!main");

    private Diff diff() {
        List<OutstandingHandle> list = new ArrayList<>();
        long h = 4;
        for (int i = 0; i < 3; i++) list.add(outstanding(h += 4, "File", "C:\\f" + i, 1, fileLeak));
        for (int i = 0; i < 2; i++) list.add(outstanding(h += 4, "File", "C:\\g" + i, 2, fileLeakOtherCaller));
        for (int i = 0; i < 4; i++) list.add(outstanding(h += 4, "Event", null, 3, eventLeak));
        return new Diff(new TargetInfo(42, "app.exe"), new Snapshot("s", Instant.EPOCH, -1, null), Instant.EPOCH, list, 9, 0L);
    }

    private OutstandingHandle outstanding(long handle, String type, String name, int tid, StackTrace stack) {
        TraceEvent open = new TraceEvent(handle, dev.jhtrace.model.EventKind.OPEN, handle, 42, tid, TraceEvent.NO_TIME, stack);
        return new OutstandingHandle(handle, HandleEntry.of(handle, type, name), open, false);
    }

    @Test
    void groupsByStackHeaviestFirstWithTheFirstNonSystemFrameAsLeakFrame() {
        LeakReport r = LeakAnalyzer.DEFAULT.analyze(diff(), "test");

        assertEquals(9, r.outstanding());
        assertEquals(List.of(4, 3, 2), r.groups().stream().map(LeakGroup::count).toList());
        LeakGroup top = r.groups().get(0);
        assertEquals("LeakEvent", top.leakFrame().function());
        assertEquals(Map.of("Event", 4), top.types());
        assertEquals(List.of(3), top.threads());
        LeakGroup files = r.groups().get(1);
        assertEquals("app!LeakFile+0x10", files.leakFrame().symbol());
        assertEquals(List.of("C:\\f0", "C:\\f1", "C:\\f2"), files.names());
        assertEquals(Map.of("Event", 4, "File", 5), r.types());
        assertEquals(List.of("File", "Event"), List.copyOf(r.types().keySet()), "types heaviest first");
    }

    @Test
    void mergeAtLeakFrameJoinsStacksThatDifferOnlyInCallers() {
        LeakReport r = LeakAnalyzer.DEFAULT.withMergeAtLeakFrame(true).analyze(diff(), "test");

        assertEquals(List.of(5, 4), r.groups().stream().map(LeakGroup::count).toList());
        LeakGroup files = r.groups().get(0);
        assertEquals("LeakFile", files.leakFrame().function());
        assertEquals(fileLeak, files.stack(), "the merged group shows its most common stack");
        assertEquals(List.of(1, 2), files.threads());
    }

    @Test
    void groupsByTypeModuleAndFunction() {
        LeakReport byType = LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.TYPE).analyze(diff(), "test");
        assertEquals(List.of("File", "Event"), byType.groups().stream().map(LeakGroup::key).toList());
        assertEquals(List.of(5, 4), byType.groups().stream().map(LeakGroup::count).toList());

        LeakReport byModule = LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.MODULE).analyze(diff(), "test");
        assertEquals(1, byModule.groups().size());
        assertEquals("app", byModule.groups().get(0).key());
        assertEquals(9, byModule.groups().get(0).count());

        LeakReport byFunction = LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION).analyze(diff(), "test");
        assertEquals(List.of("app!LeakFile", "app!LeakEvent"), byFunction.groups().stream().map(LeakGroup::key).toList());
    }

    @Test
    void leakFrameSkipsConfiguredSystemModules() {
        LeakAnalyzer custom = new LeakAnalyzer(SystemModules.of(List.of("ntdll", "KERNELBASE", "kernel32", "app")), GroupBy.STACK, false, 5);
        assertEquals(4, custom.leakFrameIndex(fileLeak), "all frames system: the outermost is taken");
        assertEquals(3, LeakAnalyzer.DEFAULT.leakFrameIndex(fileLeak));
        assertEquals(-1, LeakAnalyzer.DEFAULT.leakFrameIndex(StackTrace.EMPTY));
        assertNull(LeakAnalyzer.DEFAULT.leakFrame(StackTrace.EMPTY));
    }

    @Test
    void systemModuleNamesMatchWithoutPathCaseOrExtension() {
        SystemModules m = SystemModules.DEFAULT;
        assertTrue(m.contains("libc.so.6"));
        assertTrue(m.contains("/lib/x86_64-linux-gnu/libc.so.6"));
        assertTrue(m.contains("ld-linux-x86-64.so.2"));
        assertTrue(m.contains("KERNEL32.DLL"));
        assertTrue(m.contains("C:\\Windows\\System32\\ntdll.dll"));
        assertFalse(m.contains("libcrypto.so.3"));
        assertFalse(m.contains("ntdllx"));
        assertFalse(m.contains(null));
    }

    @Test
    void stackLostHandlesFormTheirOwnGroup() {
        List<OutstandingHandle> list = List.of(new OutstandingHandle(8, HandleEntry.of(8, "Key", null), null, true));
        Diff d = new Diff(new TargetInfo(1, null), new Snapshot("s", Instant.EPOCH, -1, null), Instant.EPOCH, list, 0, null);
        LeakReport r = LeakAnalyzer.DEFAULT.analyze(d, "test");
        assertEquals(1, r.groups().size());
        assertNull(r.groups().get(0).leakFrame());
        assertEquals("(stack unknown)", r.groups().get(0).key());
        assertNull(r.lostEvents());
    }

    private static StackTrace frames(String... symbols) {
        List<dev.jhtrace.model.StackFrame> list = new ArrayList<>();
        long address = 0x401000;
        for (String sym : symbols) {
            String[] p = sym.split("!");
            list.add(new dev.jhtrace.model.StackFrame(address += 0x40, p[0], p[1], 0x10L, null, null));
        }
        return new StackTrace(list);
    }

    @Test
    void theLeakingFrameOfAStaticBinaryAGoProgramAndAJvmIsTheProgramsOwnCode() {
        // static: the C library is linked into the executable and carries its name
        assertEquals(2, LeakAnalyzer.DEFAULT.leakFrameIndex(frames("server!__libc_open64", "server!fopen", "server!load_config", "server!main")));
        // Go: one module; the runtime, syscall and os layers are skipped by name
        assertEquals(5, LeakAnalyzer.DEFAULT.leakFrameIndex(frames("app!runtime/internal/syscall.Syscall6", "app!syscall.Syscall6",
                "app!syscall.openat", "app!os.openFileNolog", "app!os.OpenFile", "app!main.leak", "app!main.main")));
        // Java: libjava's native layer is system code
        assertEquals(3, LeakAnalyzer.DEFAULT.leakFrameIndex(frames("libc.so.6!open64", "libjava.so!handleOpen", "libjava.so!fileOpen",
                "perf-4242.map!Ljava/io/FileInputStream;::open0")));
        // C++: libstdc++, and its templates inlined into the program, are the standard library's
        assertEquals(4, LeakAnalyzer.DEFAULT.leakFrameIndex(frames("libc.so.6!__fopen_internal", "libstdc++.so.6.0.30!std::__basic_file<char>::open",
                "libstdc++.so.6.0.30!std::basic_filebuf<char, std::char_traits<char> >::open",
                "leak!std::basic_ifstream<char, std::char_traits<char> >::basic_ifstream(char const*, std::_Ios_Openmode)", "leak!Cache::load(char const*)",
                "leak!main")));
        // a program's own function whose name looks like nothing special stays the program's
        assertEquals(1, LeakAnalyzer.DEFAULT.leakFrameIndex(frames("libc.so.6!open64", "server!openConfig", "server!main")));
    }
}
