package dev.jhtrace.perf;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.examples.CProgram;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The perf engine against real perf and real C programs (built with gcc -g -O0). Needs root or CAP_PERFMON. */
class PerfEngineTest {
    @Test
    void attachNamesEveryLeakingFunctionWithExactCounts() throws IOException {
        try (DrivenProcess leaky = new DrivenProcess(DrivenProcess.example("leaky"))) {
        leaky.send("pre 3");
        try (PerfHandleSource source = new PerfEngine().attach(leaky.pid(), TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot snapshot = session.enable(TraceOptions.DEFAULT);
            leaky.send("file 5");
            leaky.send("sock 4");
            leaky.send("pipe 3");
            leaky.send("transient 20");
            leaky.send("event 6");
            leaky.send("thread 2");
            leaky.send("dup 2");
            Diff diff = session.diff(snapshot);
            LeakReport report = session.report(diff, LeakAnalyzer.DEFAULT);
            Map<String, Integer> byFunction = new TreeMap<>();
            for (LeakGroup g : report.groups()) byFunction.merge(g.leakFrame() == null ? "(no stack)" : String.valueOf(g.leakFrame().function()), g.count(), Integer::sum);
            assertEquals(Map.of("leak_config_file", 5, "leak_socket", 4, "leak_pipe", 6, "leak_misc", 6, "leak_in_thread", 2, "leak_dup", 2),
                    byFunction, report.toString());
            assertEquals(0, diff.outstanding().stream().filter(OutstandingHandle::stackLost).count());
            Map<String, Integer> types = new HashMap<>();
            for (OutstandingHandle h : diff.outstanding()) {
                if (h.open().stack().frames().stream().anyMatch(f -> "leak_pipe".equals(f.function()))) types.merge(h.entry().type(), 1, Integer::sum);
            }
            assertEquals(Map.of("Pipe", 6), types, "the pipe descriptors named by the lowest-free rule are the pipes /proc shows");
            assertEquals(0L, diff.lostEvents());
            // the source line comes from addr2line on the binary; the expected one from the source text itself
            List<String> sourceText = Files.readAllLines(DrivenProcess.root().resolve("examples/linux/leaky.c"));
            int openLine = sourceText.indexOf("    return open(\"/etc/passwd\", O_RDONLY);") + 1;
            LeakGroup files = report.groups().stream().filter(g -> g.leakFrame() != null && "leak_config_file".equals(g.leakFrame().function()))
                    .findFirst().orElseThrow();
            assertTrue(openLine > 0);
            assertEquals(openLine, files.leakFrame().line());
            assertTrue(files.leakFrame().file().endsWith("examples/linux/leaky.c"), files.leakFrame().file());
        }
        assertTrue(new LinuxProcess(leaky.pid()).isAlive());
        leaky.send("count"); // still answering: never stopped
        }
    }

    @Test
    void onlyOpenDescriptorsKeepTheirRawStacksAndOnlyThoseAreUnwound() throws IOException {
        try (DrivenProcess leaky = new DrivenProcess(DrivenProcess.example("leaky"))) {
        try (PerfHandleSource source = new PerfEngine().attach(leaky.pid(), TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot snapshot = session.enable(TraceOptions.DEFAULT);
            leaky.send("transient 300");
            leaky.send("file 3");
            source.perfTracing().syncStream();
            // the transient ones were closed: their samples went with them; the three files' are held, raw
            assertEquals(3, source.perfTracing().heldStacks()[0], "raw samples held");
            Diff diff = session.diff(snapshot);
            assertEquals(0, source.perfTracing().heldStacks()[0], "unwound for the diff, the raw bytes let go");
            assertEquals(3, diff.outstanding().size(), diff.toString());
            for (OutstandingHandle h : diff.outstanding()) {
                assertTrue(h.open().stack().frames().stream().anyMatch(f -> "leak_config_file".equals(f.function())), h.open().stack().toString());
            }
            // the closed ones were never unwound: no stack in the log, and no cost
            long closedWithStack = source.tracing().orElseThrow().log().events().stream()
                    .filter(e -> e.kind() == dev.jhtrace.model.EventKind.OPEN && !e.stack().isEmpty()
                            && e.stack().frames().stream().anyMatch(f -> "use_transient".equals(f.function()))).count();
            assertEquals(0, closedWithStack);
        }
        }
    }

    /** Why the width matters is measured in benchmarks/decoder-throughput.sh (its last column is the control). */
    @Test
    void perfRecordWritesThroughAWidenedPipeAndTheControlThroughTheKernelsDefault() throws IOException {
        try (DrivenProcess leaky = new DrivenProcess(DrivenProcess.example("leaky"))) {
            try (PerfHandleSource source = new PerfEngine().attach(leaky.pid(), TraceOptions.DEFAULT)) {
                new HtraceSession(source).enable(TraceOptions.DEFAULT);
                assertEquals(PipeCapacity.WIDE_BYTES, source.perfTracing().streamPipeBytes());
                leaky.send("file 2");
                source.perfTracing().syncStream(); // the stream still flows through it
                assertEquals(2, source.perfTracing().heldStacks()[0]);
            }
            try (PerfHandleSource source = new PerfEngine().withKernelDefaultPipe().attach(leaky.pid(), TraceOptions.DEFAULT)) {
                new HtraceSession(source).enable(TraceOptions.DEFAULT);
                assertEquals(64 << 10, source.perfTracing().streamPipeBytes());
            }
            leaky.send("file 1"); // the target still answers
        }
    }

    @Test
    void perfKilledMidTraceLeavesTheTargetRunningWithItsDescriptors() throws Exception {
        try (DrivenProcess leaky = new DrivenProcess(DrivenProcess.example("leaky"))) {
        try (PerfHandleSource source = new PerfEngine().attach(leaky.pid(), TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            session.enable(TraceOptions.DEFAULT);
            leaky.send("file 3");
            int before = Integer.parseInt(leaky.send("count").split(" ")[1]);
            long perfPid = source.perfTracing().recordPid();
            Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(perfPid)).start();
            assertEquals(0, kill.waitFor());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (source.perfTracing().isRecording() && System.nanoTime() < deadline) Thread.onSpinWait();
            assertFalse(source.perfTracing().isRecording(), "the stream ends when perf dies");
            char state = new LinuxProcess(leaky.pid()).state();
            assertTrue(state == 'S' || state == 'R', "target state " + state);
            assertEquals(before, Integer.parseInt(leaky.send("count").split(" ")[1]));
            leaky.send("file 1");
            assertEquals(before + 1, Integer.parseInt(leaky.send("count").split(" ")[1]));
        }
        }
    }

    @Test
    void launchSeesEveryFdzooKindOpenedInMain() throws Exception {
        Path dir = Files.createTempDirectory("fdzoo");
        ProcessBuilder pb = new ProcessBuilder(DrivenProcess.example("fdzoo").toString(), dir.resolve("file").toString(), dir.toString())
                .redirectOutput(ProcessBuilder.Redirect.PIPE).redirectInput(ProcessBuilder.Redirect.PIPE);
        try (PerfHandleSource source = new PerfEngine().launch(pb, TraceOptions.DEFAULT)) {
            Process fdzoo = source.launchedProcess().orElseThrow();
            HtraceSession session = new HtraceSession(source);
            Snapshot snapshot = session.enable(TraceOptions.DEFAULT);
            BufferedReader out = new BufferedReader(new InputStreamReader(fdzoo.getInputStream(), StandardCharsets.UTF_8));
            Map<Long, String> kinds = new TreeMap<>();
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                String[] f = line.split(" ");
                if (!f[0].equals("skipped") && f.length >= 2) kinds.put(Long.parseLong(f[1]), f[0]);
            }
            assertEquals("ready", line);
            // end it (close its stdin), then diff: its table is then the replayed one
            fdzoo.getOutputStream().close();
            assertTrue(fdzoo.waitFor(10, TimeUnit.SECONDS));
            Diff diff = session.diff(snapshot);
            Map<Long, String> leakFrames = new TreeMap<>();
            for (OutstandingHandle h : diff.outstanding()) {
                leakFrames.put(h.handle(), h.open().stack().frames().stream().filter(f -> "fdzoo".equals(f.module())).findFirst()
                        .map(f -> f.function()).orElse("?"));
            }
            for (Map.Entry<Long, String> k : kinds.entrySet()) {
                assertEquals("main", leakFrames.get(k.getKey()), k.getValue() + " fd " + k.getKey() + " in " + leakFrames);
            }
            // exited: no /proc table, the types come from the calls that made them (open gives File, also for dir and /dev/null)
            Map<String, String> expectedType = Map.ofEntries(Map.entry("file", "File"), Map.entry("dir", "File"), Map.entry("devnull", "File"),
                    Map.entry("tcp", "Socket"), Map.entry("tcp-client", "Socket"), Map.entry("tcp6", "Socket"), Map.entry("udp", "Socket"),
                    Map.entry("unix", "Socket"), Map.entry("netlink", "Socket"), Map.entry("pipe-read", "Pipe"), Map.entry("pipe-write", "Pipe"),
                    Map.entry("eventfd", "EventFd"), Map.entry("epoll", "EventPoll"), Map.entry("timerfd", "TimerFd"), Map.entry("signalfd", "SignalFd"),
                    Map.entry("inotify", "Inotify"), Map.entry("memfd", "MemFd"), Map.entry("pidfd", "PidFd"), Map.entry("fanotify", "FaNotify"));
            Map<Long, String> types = new TreeMap<>();
            diff.outstanding().forEach(h -> types.put(h.handle(), h.entry() == null ? null : h.entry().type()));
            for (Map.Entry<Long, String> k : kinds.entrySet()) {
                assertEquals(expectedType.get(k.getValue()), types.get(k.getKey()), k.getValue() + " fd " + k.getKey());
            }
        }
    }

    @Test
    void lossUnderOverloadIsCountedNotHidden() throws Exception {
        Path fdloop = DrivenProcess.example("fdloop");
        // an 8-page ring cannot hold a burst of 40,000 events with stacks: the kernel drops samples and says how many
        ProcessBuilder pb = new ProcessBuilder(fdloop.toString(), "20000").redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (PerfHandleSource source = new PerfEngine().launch(pb, new TraceOptions(16, 8))) {
            assertTrue(source.launchedProcess().orElseThrow().waitFor(60, TimeUnit.SECONDS));
            var log = source.tracing().orElseThrow().log();
            assertTrue(log.lostEvents() > 0, "lost " + log.lostEvents());
            assertTrue(log.wrapped());
            // every loop event is decoded or counted lost (perf gives the loss as a percentage with two decimals: 40,000
            // events round to within 4; the loader's few opens and closes come on top)
            long loopEvents = log.events().stream().filter(e -> e.kind() != dev.jhtrace.model.EventKind.OPEN
                    || e.stack().frames().stream().anyMatch(f -> "open_and_close".equals(f.function()))).count();
            assertTrue(log.size() + log.lostEvents() >= 40_000 - 4, log.size() + " decoded + " + log.lostEvents() + " lost");
            assertTrue(loopEvents > 0);
        }
    }

    /**
     * After the launched program exited its table is the replay: descriptors named from /proc while it ran keep their
     * names, and one reopened after its last naming round gets none rather than its predecessor's.
     */
    @Test
    void anExitedLaunchsDescriptorsKeepTheNamesProcGaveAndNeverAnotherOnesName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path first = Files.writeString(dir.resolve("first"), "1");
        Path second = Files.writeString(dir.resolve("second"), "2");
        Path go = dir.resolve("go");
        // 7 stays open; 8 is reopened on another file when the test says so, and the program exits at once
        String script = "exec 7<\"$1\" 8<\"$1\"; while [ ! -e \"$3\" ]; do sleep 0.05; done; exec 8<\"$2\"; exit 0";
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script, "sh", first.toString(), second.toString(), go.toString())
                .redirectInput(new java.io.File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (PerfHandleSource source = new PerfEngine().launch(pb, TraceOptions.DEFAULT)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!source.perfTracing().namedDescriptors().containsKey(8L) && System.nanoTime() < deadline) Thread.onSpinWait();
            assertEquals(first.toString(), source.perfTracing().namedDescriptors().get(8L), "named while it ran");
            Files.writeString(go, "");
            assertTrue(source.launchedProcess().orElseThrow().waitFor(20, TimeUnit.SECONDS));
            Map<Long, String> names = new TreeMap<>();
            source.handles().entries().forEach(e -> names.put(e.handle(), e.name()));
            assertEquals(first.toString(), names.get(7L), names.toString());
            assertTrue(names.containsKey(8L), names.toString());
            assertTrue(names.get(8L) == null || names.get(8L).equals(second.toString()), "never the first file's name: " + names);
        }
    }

    /**
     * A copy of a descriptor the trace never saw opened (stdin, a pipe jhtrace gave it) has no type from its call; the
     * name /proc gave it while the program ran tells one, which its table keeps after the exit.
     */
    @Test
    void aCopyOfADescriptorOpenedBeforeTheTraceTakesTheTypeItsNameTells(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        String script = "exec 7<&0; while [ ! -e \"$1\" ]; do sleep 0.05; done; exit 0";
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script, "sh", go.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (PerfHandleSource source = new PerfEngine().launch(pb, TraceOptions.DEFAULT)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!source.perfTracing().namedDescriptors().containsKey(7L) && System.nanoTime() < deadline) Thread.onSpinWait();
            assertTrue(source.perfTracing().namedDescriptors().getOrDefault(7L, "").startsWith("pipe:["), source.perfTracing().namedDescriptors().toString());
            Files.writeString(go, "");
            assertTrue(source.launchedProcess().orElseThrow().waitFor(20, TimeUnit.SECONDS));
            dev.jhtrace.model.HandleEntry seven = source.handles().entries().stream().filter(e -> e.handle() == 7L).findFirst().orElseThrow();
            assertEquals("Pipe", seven.type(), seven.toString());
        }
    }

    /** A target that execs after jhtrace last looked and then exits bears the name of the program it ran last. */
    @Test
    void anExitedTargetIsNamedAfterItsLastExec(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        Path sleeper = Files.copy(Path.of("/bin/sleep"), dir.resolve("jhnap"));
        String script = "while [ ! -e \"$1\" ]; do sleep 0.05; done; exec \"$2\" 0.2";
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script, "sh", go.toString(), sleeper.toString())
                .redirectInput(new java.io.File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (PerfHandleSource source = new PerfEngine().launch(pb, TraceOptions.DEFAULT)) {
            assertEquals("sh", source.target().name(), "the shell, before its exec");
            Files.writeString(go, "");
            assertTrue(source.launchedProcess().orElseThrow().waitFor(20, TimeUnit.SECONDS));
            source.handles(); // the trace read to its end
            assertEquals("jhnap", source.target().name());
        }
    }

    /**
     * A launched program that ends before the session is enabled: its tracing ended with it (the whole of its trace
     * kept), and enabling diffs from the launch rather than starting a new, empty trace.
     */
    @Test
    void aLaunchThatEndedBeforeTheSessionIsDiffedFromItsStart() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "exec 7</etc/hostname 8</etc/hostname")
                .redirectInput(new java.io.File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (PerfHandleSource source = new PerfEngine().launch(pb, TraceOptions.DEFAULT)) {
            assertTrue(source.launchedProcess().orElseThrow().waitFor(20, TimeUnit.SECONDS));
            source.tracing().orElseThrow().lastOrder(); // the trace read to its end, and perf stopped with the program
            assertFalse(source.tracing().orElseThrow().isEnabled(), "the tracing ended with the program");
            HtraceSession session = new HtraceSession(source);
            Snapshot from = session.enable(TraceOptions.DEFAULT);
            assertEquals(source.launchSnapshot().orElseThrow(), from);
            Diff diff = session.diff(from);
            assertEquals(java.util.Set.of(7L, 8L), diff.outstanding().stream().map(dev.jhtrace.model.OutstandingHandle::handle)
                    .collect(java.util.stream.Collectors.toSet()), diff.toString());
        }
    }
}
