package dev.jhtrace.shell.repl;

import dev.jhtrace.model.LoadedModule;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.ThreadInfo;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.shell.api.Cancelled;
import dev.jhtrace.shell.api.Target;
import dev.jhtrace.shell.options.DurationConverter;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * WinDbg's process-control habits: {@code g} (go), {@code ~} (threads), {@code k} (a thread's stack), {@code lm}
 * (loaded modules), through the engine SPI ({@link HandleSource#threads()} ...). An engine that lacks one says so.
 */
final class ProcessCommands {
    /** How often {@code g} looks whether the target is still alive while it waits. */
    private static final long ALIVE_POLL_MILLIS = 100;
    private final ReplContext ctx;

    ProcessCommands(ReplContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "g", description = {"Go (WinDbg's g): let the target run until Ctrl-C, until it exits, or for --for.",
            "jhtrace never leaves a target stopped; g waits while it runs, e.g. between !htrace -snapshot and !htrace -diff."})
    int go(@Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop waiting after this long (e.g. 30s); the target keeps running.") Duration duration) {
        Target t = ctx.target();
        if (!t.getSource().isLive()) throw new JhtraceException(Failure.BAD_INPUT, "g: " + t + " is a record, not a running process");
        if (!t.isAlive()) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "g: process 0n" + t.getPid() + " has exited");
        ctx.print(String.format("running 0n%d (0x%x)%s", t.getPid(), t.getPid(), duration == null ? ": Ctrl-C breaks in" : " for " + duration.toString().substring(2).toLowerCase()));
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        try {
            while (t.isAlive()) {
                long left = (end - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    ctx.print("break: the process keeps running");
                    return 0;
                }
                ctx.api().sleep(Math.min(ALIVE_POLL_MILLIS, left));
            }
        } catch (Cancelled breakIn) {
            ctx.print("break: the process keeps running");
            return 0;
        }
        ctx.print("process 0n" + t.getPid() + " exited");
        return 0;
    }

    @Command(name = "~", description = "The threads of the current target (WinDbg's ~): number, Id process.thread (hex), name, state.")
    void threads() {
        List<ThreadInfo> threads = ordered(ctx.target());
        StringBuilder sb = new StringBuilder();
        int pid = ctx.target().getPid();
        for (int i = 0; i < threads.size(); i++) {
            ThreadInfo th = threads.get(i);
            sb.append(String.format("%4d  Id: %x.%x  %-16s %s%n", i, pid, th.tid(), th.name() == null ? "" : th.name(),
                    th.state() == null ? "" : th.state()));
        }
        ctx.print(sb.toString());
    }

    @Command(name = "k", description = {"The stack of a thread (WinDbg's k; ~Nk works too): thread 0 by default.",
            "Where the engine cannot read a running thread's stack, the stack of its latest traced handle event is shown."})
    void stack(@Parameters(arity = "0..1", paramLabel = "THREAD", description = "The thread's number in ~ (decimal).") String thread) {
        Target t = ctx.target();
        List<ThreadInfo> threads = ordered(t);
        int index = 0;
        if (thread != null) {
            try {
                index = Integer.parseInt(thread);
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0 || index >= threads.size()) {
                throw new JhtraceException(Failure.BAD_INPUT, "k: no thread " + thread + " (~ lists " + threads.size() + ")");
            }
        }
        ThreadInfo th = threads.get(index);
        StackTrace stack;
        String heading = String.format("thread %d  Id: %x.%x%n", index, t.getPid(), th.tid());
        try {
            stack = t.getSource().stack(th.tid());
        } catch (JhtraceException e) {
            if (e.failure() != Failure.ENGINE_UNAVAILABLE) throw e;
            TraceEvent latest = latestTraced(t.getSource(), th.tid()).orElseThrow(() -> e);
            stack = latest.stack();
            heading += String.format("note: %s; the stack of this thread's latest traced event (%s 0x%x):%n",
                    e.getMessage(), latest.kind(), latest.handle());
        }
        StringBuilder sb = new StringBuilder(heading).append(" #  address and call site\n");
        List<StackFrame> frames = stack.frames();
        // one batch for the whole stack: one engine call, not one per frame
        java.util.Map<Long, StackFrame> resolved = t.getSource().symbols().resolveAll(frames.stream().map(StackFrame::address).toList());
        for (int i = 0; i < frames.size(); i++) {
            sb.append(String.format("%02x  %s%n", i, LeakReportText.frame(resolved.getOrDefault(frames.get(i).address(), frames.get(i)))));
        }
        ctx.print(sb.toString());
    }

    @Command(name = "lm", description = "The modules loaded in the current target (WinDbg's lm): start, end, name, file.")
    void loadedModules() {
        List<LoadedModule> modules = ctx.target().getSource().loadedModules();
        StringBuilder sb = new StringBuilder(String.format("%-18s %-18s %-24s %s%n", "start", "end", "module name", "file"));
        for (LoadedModule m : modules) {
            sb.append(String.format("%016x   %016x   %-24s %s%n", m.base(), m.end(), m.name(), m.path() == null ? "" : m.path()));
        }
        ctx.print(sb.toString());
    }

    /** The threads with the main thread (tid = pid) first as thread 0, as WinDbg numbers the first thread 0. */
    private static List<ThreadInfo> ordered(Target t) {
        List<ThreadInfo> threads = new ArrayList<>(t.getSource().threads());
        threads.sort((a, b) -> a.tid() == t.getPid() ? -1 : b.tid() == t.getPid() ? 1 : Integer.compare(a.tid(), b.tid()));
        return threads;
    }

    private static Optional<TraceEvent> latestTraced(HandleSource source, int tid) {
        Optional<HandleTracing> tracing = source.tracing();
        if (tracing.isEmpty() || !tracing.get().isEnabled()) return Optional.empty();
        List<TraceEvent> events = tracing.get().log().events();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).tid() == tid && !events.get(i).stack().isEmpty()) return Optional.of(events.get(i));
        }
        return Optional.empty();
    }
}
