package dev.jhtrace.gdb;

import dev.jhtrace.analysis.GroupBy;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.gdb.trace.GdbTracing;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceRetention;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole workflow against real processes and a real gdb: attach or launch, enable, leak, diff, report. */
class GdbEngineLeakTest {
    private static GdbEngine engine;

    @BeforeAll
    static void gdb() {
        engine = new GdbEngine();
        assertTrue(engine.availability().available(), engine.availability().detail());
    }

    private static Map<String, Integer> countsByFunction(LeakReport report) {
        Map<String, Integer> m = new TreeMap<>();
        for (LeakGroup g : report.groups()) m.put(g.key(), g.count());
        return m;
    }

    @Test
    void lastOrderCountsEveryEventAlsoAfterACaptureDiscardedThem() {
        try (LeakyProcess p = LeakyProcess.start(); GdbHandleSource source = engine.attach(p.pid(), TraceOptions.DEFAULT)) {
            GdbTracing tracing = source.gdbTracing();
            tracing.enable(TraceOptions.DEFAULT);
            assertEquals(Snapshot.BEFORE_FIRST_EVENT, tracing.lastOrder());
            p.send("transient 2"); // opens and closes a dozen descriptors
            long seen = tracing.lastOrder();
            int events = tracing.log().size();
            assertTrue(events >= 8, "opens and closes: " + events);
            assertEquals(tracing.log().lastOrder(), seen);
            assertEquals(events, tracing.eventCount());
            assertEquals(events, tracing.discardThrough(seen));
            assertEquals(0, tracing.log().size());
            assertEquals(seen, tracing.lastOrder(), "kept after the events are gone");
            assertEquals(events, tracing.eventCount(), "kept after the events are gone");
            p.send("file 1");
            assertEquals(1, tracing.log().size());
            assertTrue(tracing.log().lastOrder() > seen);
            assertEquals(tracing.log().lastOrder(), tracing.lastOrder());
            assertEquals(events + 1, tracing.eventCount());
        }
    }

    /** Opens and closes by the thousand, none kept open: the bound holds, and what it forgets (settled pairs) is no loss. */
    @Test
    void aFloodKeepsTheRetainedEventsBoundedAndForgetsOnlySettledPairs() {
        int retained = 200;
        try (LeakyProcess p = LeakyProcess.start(); GdbHandleSource source = engine.attach(p.pid(), TraceOptions.DEFAULT)) {
            GdbTracing tracing = new GdbTracing(source.gdb(), new TraceRetention(retained));
            tracing.enable(TraceOptions.DEFAULT);
            try {
                for (int round = 0; round < 5; round++) {
                    p.send("transient 100"); // a thousand opens and closes, none kept open
                    assertTrue(tracing.log().size() <= retained, "round " + round + ": " + tracing.log().size());
                    assertEquals(tracing.log().size(), tracing.retainedEvents(), "round " + round);
                }
                p.send("file 1"); // one kept open: its OPEN stays whatever came before
                TraceLog log = tracing.log();
                long delivered = tracing.eventCount();
                assertTrue(delivered >= 5 * 100 * 8, "every open and close delivered: " + delivered);
                assertEquals(0L, log.lostEvents(), "nothing lost in gdb, nothing a diff needs dropped");
                assertFalse(log.wrapped());
                assertEquals(tracing.lastOrder(), log.lastOrder(), "the newest are kept");
                assertEquals(dev.jhtrace.model.EventKind.OPEN, log.events().get(log.size() - 1).kind());
            } finally {
                tracing.disable();
            }
        }
    }

    @Test
    void attachedReportNamesExactlyTheLeakingFunctions() {
        try (LeakyProcess p = LeakyProcess.start()) {
            p.send("pre 3"); // opened before the snapshot: never reported
            int before;
            try (GdbHandleSource source = engine.attach(p.pid(), TraceOptions.DEFAULT)) {
                HtraceSession session = new HtraceSession(source);
                Snapshot snap = session.enable(TraceOptions.DEFAULT);
                p.send("file 3");
                p.send("sock 2");
                p.send("thread 4");
                p.send("transient 5"); // opened and closed inside the window: never reported
                p.send("pipe 1");
                p.send("event 6");
                Diff diff = session.diff(snap);
                LeakReport report = session.report(diff, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION));
                System.out.println(LeakReportText.render(session.report(diff, LeakAnalyzer.DEFAULT)));

                assertEquals(Map.of("leaky!leak_config_file", 3, "leaky!leak_socket", 2, "leaky!leak_in_thread", 4,
                        "leaky!leak_pipe", 2, "leaky!leak_misc", 6), countsByFunction(report));
                for (OutstandingHandle h : diff.outstanding()) {
                    assertFalse(h.stackLost(), "every leak has its stack: " + h);
                    StackFrame leak = LeakAnalyzer.DEFAULT.leakFrame(h.stack());
                    assertTrue(leak.file().endsWith("leaky.c"), leak.toString());
                    assertTrue(leak.line() != null && leak.line() > 0, leak.toString());
                    assertTrue(h.stack().frame(0).module().startsWith("libc"), "innermost frame is the libc wrapper: " + h.stack());
                    assertNotEquals(TraceEvent.NO_TIME, h.open().epochNanos());
                    assertEquals(p.pid(), h.open().pid());
                }
                LeakGroup thread = report.groups().stream().filter(g -> g.key().endsWith("leak_in_thread")).findFirst().orElseThrow();
                assertEquals(1, thread.threads().size());
                assertNotEquals(p.pid(), thread.threads().get(0), "opened by the worker thread, not the main thread");
                assertTrue(diff.outstanding().stream().anyMatch(h -> "/etc/passwd".equals(h.name())));
                // a failed open records nothing; the trace has exactly one OPEN per successful creation
                TraceLog log = source.tracing().orElseThrow().log();
                long opens = log.events().stream().filter(e -> e.kind() == EventKind.OPEN).count();
                long closes = log.events().stream().filter(e -> e.kind() == EventKind.CLOSE).count();
                // transient 5: open, F_DUPFD_CLOEXEC, pipe(2), socketpair(2), eventfd = 7 opens and 7 closes each
                assertEquals(3 + 2 + 4 + 5 * 7 + 2 + 6, opens);
                assertEquals(5 * 7, closes);
                before = p.count();
            }
            // detached: running, not stopped, descriptors intact
            assertFalse(new LinuxProcess(p.pid()).isStopped());
            assertEquals(before, p.count());
        }
    }

    @Test
    void dupCloseRangeAndExecAreTraced() {
        try (LeakyProcess p = LeakyProcess.start()) {
            p.send("pre 2");
            try (GdbHandleSource source = engine.attach(p.pid(), new TraceOptions(4, 0))) {
                HtraceSession session = new HtraceSession(source);
                Snapshot snap = session.enable(new TraceOptions(4, 0));
                p.send("dup2"); // replaces a "pre" descriptor: closed and reopened by replace_with_dup2
                p.send("dup 2");
                Diff diff = session.diff(snap);
                Map<String, Integer> byFunction = countsByFunction(session.report(diff, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION)));
                assertEquals(Map.of("leaky!replace_with_dup2", 1, "leaky!leak_dup", 2), byFunction);
                for (OutstandingHandle h : diff.outstanding()) assertTrue(h.stack().depth() <= 4, "stack depth option honoured");

                Snapshot afterDup = session.snapshot("dup");
                p.send("file 2");
                p.send("closerange"); // closes "pre" and "file" descriptors
                p.send("cloexec 2");
                p.send("sock 1");
                p.send("exec"); // closes the O_CLOEXEC ones
                p.readLine(); // "ready ... after-exec"
                Diff d2 = session.diff(afterDup);
                Map<String, Integer> after = countsByFunction(session.report(d2, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION)));
                assertEquals(1, after.size(), after.toString());
                assertEquals(1, after.values().iterator().next());
                assertTrue(after.keySet().iterator().next().endsWith("leak_socket"), after.toString());
                List<TraceEvent> closes = source.tracing().orElseThrow().log().after(afterDup.traceMark()).stream()
                        .filter(e -> e.kind() == EventKind.CLOSE).toList();
                assertTrue(closes.size() >= 2 + 2 + 1 + 2, "close_range and exec closes: " + closes.size());
            }
            assertFalse(new LinuxProcess(p.pid()).isStopped());
            p.send("count");
        }
    }

    @Test
    void descriptorsReceivedThroughScmRightsAreTraced() {
        try (LeakyProcess p = LeakyProcess.start(); GdbHandleSource source = engine.attach(p.pid(), TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot snap = session.enable(TraceOptions.DEFAULT);
            p.send("scm 3");
            Diff diff = session.diff(snap);
            assertEquals(Map.of("leaky!receive_fd", 3),
                    countsByFunction(session.report(diff, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION))));
            for (OutstandingHandle h : diff.outstanding()) assertEquals("/etc/hostname", h.name());
        }
    }

    @Test
    void launchedProcessIsTracedFromTheStart() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LinuxExamples.build("leaky").toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        GdbHandleSource source = engine.launch(pb, TraceOptions.DEFAULT);
        try {
            LeakyProcess p = LeakyProcess.of(source.launchedProcess().orElseThrow());
            assertTrue(source.tracing().orElseThrow().isEnabled());
            HtraceSession session = new HtraceSession(source);
            Snapshot snap = session.enable(TraceOptions.DEFAULT); // adopts the running trace
            assertEquals("launch", snap.name(), "the first snapshot is the moment before the first instruction");
            assertEquals(Snapshot.BEFORE_FIRST_EVENT, snap.traceMark());
            p.send("file 2");
            p.send("transient 3");
            Diff diff = session.diff(snap);
            assertEquals(Map.of("leaky!leak_config_file", 2),
                    countsByFunction(session.report(diff, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION))));
            // traced from the start: the first open is the dynamic loader's own (ld.so.cache, libc), before main ran
            TraceEvent first = source.tracing().orElseThrow().log().events().stream()
                    .filter(e -> e.kind() == EventKind.OPEN).findFirst().orElseThrow();
            String module = source.symbols().resolve(first.stack().frame(0)).module();
            assertTrue(module != null && module.startsWith("ld-linux"), "first open made by " + module);
            assertEquals("leaky", source.target().name());
            source.close();
            assertFalse(new LinuxProcess(p.pid()).isStopped());
            p.send("quit");
            assertEquals(0, p.process().waitFor());
        } finally {
            source.close();
        }
    }

    @Test
    void aProgramThatLeaksAndExitsAtOnceIsReportedInFull() throws Exception {
        // opens /dev/null and dups it 3 times, finds stdin at its end and exits
        ProcessBuilder pb = new ProcessBuilder(LinuxExamples.build("manyfds").toString(), "4")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (GdbHandleSource source = engine.launch(pb, TraceOptions.DEFAULT)) {
            assertEquals(0, source.launchedProcess().orElseThrow().waitFor());
            HtraceSession session = new HtraceSession(source); // a session that starts late still sees it all
            Snapshot launch = session.enable(TraceOptions.DEFAULT);
            assertEquals(java.util.Set.of(0L, 1L, 2L), launch.table().entries().stream().map(h -> h.handle()).collect(java.util.stream.Collectors.toSet()),
                    "the launch snapshot holds what it inherited: " + launch.table().entries());
            Diff diff = session.diff(launch);
            assertEquals(List.of("/dev/null", "/dev/null", "/dev/null", "/dev/null"), diff.outstanding().stream().map(OutstandingHandle::name).toList());
            assertEquals(Map.of("manyfds!main", 4), countsByFunction(session.report(diff, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION))));
            assertEquals("manyfds", source.target().name(), "named after the command, though it may have exited before jhtrace looked");
        }
    }

    @Test
    void concurrentThreadsLeakingAtDifferentRates() throws Exception {
        Process service = new ProcessBuilder(LinuxExamples.build("leaky-rates").toString(), "60").redirectErrorStream(true).start();
        try {
            service.getInputStream().read(new byte[64]); // its pid line: threads are starting
            try (GdbHandleSource source = engine.attach((int) service.pid(), TraceOptions.DEFAULT)) {
                HtraceSession session = new HtraceSession(source);
                Snapshot snap = session.enable(TraceOptions.DEFAULT);
                // trace until the slowest leak (an eventfd a second) has happened twice, however loaded the machine
                int eventfdsBefore = eventfds(service.pid());
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (eventfds(service.pid()) < eventfdsBefore + 2 && System.nanoTime() < deadline) Thread.sleep(20);
                Diff diff = session.diff(snap);
                Map<String, Integer> byFunction = new TreeMap<>(countsByFunction(session.report(diff, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION))));
                // serve() opens and closes all the time (about 150 times here); it shows up only when the diff
                // catches its one descriptor between open and close: with its stack when the OPEN was drained
                // before the table was read, as "(unknown)" (stack lost) when it was opened in between
                Integer serve = byFunction.remove("leaky-rates!serve");
                Integer between = byFunction.remove("(unknown)");
                assertTrue((serve == null ? 0 : serve) + (between == null ? 0 : between) <= 1, byFunction.toString());
                assertEquals(java.util.Set.of("leaky-rates!handle_request", "leaky-rates!reload_config", "leaky-rates!poll_events"),
                        byFunction.keySet(), byFunction.toString());
                assertTrue(byFunction.get("leaky-rates!handle_request") > byFunction.get("leaky-rates!reload_config"), byFunction.toString());
                assertTrue(byFunction.get("leaky-rates!reload_config") >= byFunction.get("leaky-rates!poll_events"), byFunction.toString());
                long serveCloses = source.tracing().orElseThrow().log().events().stream().filter(e -> e.kind() == EventKind.CLOSE).count();
                assertTrue(serveCloses > 20, "transient traffic traced: " + serveCloses);
                assertTrue(diff.outstanding().stream().filter(OutstandingHandle::stackLost).count() <= 1);
            }
            assertTrue(service.isAlive());
            assertFalse(new LinuxProcess((int) service.pid()).isStopped());
        } finally {
            service.destroyForcibly();
        }
    }

    @Test
    void aFullBufferCountsLostEventsAndTheTableStillDecides() {
        try (LeakyProcess p = LeakyProcess.start(); GdbHandleSource source = engine.attach(p.pid(), new TraceOptions(16, 20))) {
            HtraceSession session = new HtraceSession(source);
            Snapshot snap = session.enable(new TraceOptions(16, 20)); // room for 20 events in gdb between drains
            p.send("transient 20"); // 280 events in a few milliseconds
            p.send("file 2");
            Diff diff = session.diff(snap);
            TraceLog log = source.tracing().orElseThrow().log();
            assertTrue(log.wrapped());
            assertTrue(log.lostEvents() > 0, "lost " + log.lostEvents());
            assertTrue(diff.lostEvents() > 0);
            // the two leaked files are open now and were not before: reported, with or without their stack
            assertEquals(2, diff.outstanding().stream().filter(h -> "/etc/passwd".equals(h.name())).count());
            assertEquals(2, diff.size(), diff.outstanding().toString());
        }
    }

    /** The eventfd descriptors {@code pid} holds, from /proc. */
    private static int eventfds(long pid) throws java.io.IOException {
        int n = 0;
        try (var fds = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc", Long.toString(pid), "fd"))) {
            for (java.nio.file.Path fd : fds) {
                try {
                    if (java.nio.file.Files.readSymbolicLink(fd).toString().equals("anon_inode:[eventfd]")) n++;
                } catch (java.io.IOException closed) {
                    // closed while listed
                }
            }
        }
        return n;
    }
}
