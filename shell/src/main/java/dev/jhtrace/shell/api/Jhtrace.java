package dev.jhtrace.shell.api;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.windbg.WindbgImport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The scripting entry point: attach to processes, open dumps, load saved sessions. In a Groovy script
 * and in the REPL's Groovy mode its methods are called directly ({@code attach(name: 'w3wp')}); the
 * REPL commands use the same object, so a target attached with {@code attach} in the REPL is
 * {@link #getCurrent() current} in Groovy too.
 * <p>Every target it attaches is detached by {@link #close()}, which {@code jhtrace script} and the
 * REPL call on exit, whatever happened.
 * <p>A facade: the open targets are kept by {@code OpenTargets}, Ctrl-C by {@code Cancellation}, the shutdown hook
 * by {@code ShutdownDetach}; scripts call them all through this one object.
 */
public final class Jhtrace implements AutoCloseable {
    private static final Set<String> ATTACH_KEYS = Set.of("pid", "name", "stackDepth");
    private final Supplier<Engine> liveEngine;
    /** What attach and launch use; the symbol path in it changes with {@link #setSymbolPath}. */
    private TraceOptions defaults;
    private final OpenTargets targets = new OpenTargets();
    private final Cancellation cancellation = new Cancellation();
    private Status status = Status.NONE;
    private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Uses the engine for live processes on this system (on Linux perf where permitted, gdb otherwise; windows on Windows: see Engines.liveChoice). */
    public Jhtrace() {
        this(Engines::forLiveProcesses);
    }

    /** Uses the given engine for live processes. */
    public Jhtrace(Supplier<Engine> liveEngine) {
        this(liveEngine, TraceOptions.DEFAULT);
    }

    /**
     * Uses the given engine for live processes, attaching and launching with {@code defaults} (the stack depth
     * and the consent to tracing's side effects, as {@code --accept-invalid-handle-exceptions} gives it).
     */
    public Jhtrace(Supplier<Engine> liveEngine, TraceOptions defaults) {
        this.liveEngine = liveEngine;
        this.defaults = defaults;
    }

    /** The options {@link #attach} and {@link #launch} use: the stack depth, whether tracing's side effects were accepted, the symbol path. */
    public TraceOptions getDefaults() {
        return defaults;
    }

    /**
     * Where symbols are looked for first, for targets attached or launched from now on: folders with separate debug
     * files (gdb: by build-id or debuglink) or dbgeng symbol path elements ({@code srv*C:\symbols*URL}); an empty
     * list for the engine's default alone. Targets attached before keep the path they were attached with.
     */
    public void setSymbolPath(List<String> path) {
        this.defaults = defaults.withSymbolPath(path);
    }

    /** The symbol path targets attached or launched from now on get (see {@link #setSymbolPath}); empty for the engine's default. */
    public List<String> getSymbolPath() {
        return defaults.symbolPath();
    }

    /** Where slow operations report progress (the REPL sets a status line). */
    public void setStatus(Status status) {
        this.status = status == null ? Status.NONE : status;
    }

    /** Attaches to the process with this id. The process is not stopped for longer than attaching takes. */
    public Target attach(int pid) {
        if (pid <= 0) throw new JhtraceException(Failure.BAD_INPUT, "a process id must be positive, not " + pid);
        return attach(pid, defaults);
    }

    /** Attaches to a process given by id ({@code "1234"}) or by name ({@code "w3wp"}; must match one process). */
    public Target attach(String pidOrName) {
        if (pidOrName == null || pidOrName.isBlank()) throw new JhtraceException(Failure.BAD_INPUT, "attach to what? give a process id or name");
        String s = pidOrName.trim();
        return s.chars().allMatch(Character::isDigit) ? attach(parsePid(s)) : attach(resolve(s), defaults);
    }

    /**
     * Attaches with named arguments: {@code attach(name: 'w3wp')}, {@code attach(pid: 1234)},
     * optionally {@code stackDepth: 32}.
     */
    public Target attach(Map<String, ?> args) {
        for (String k : args.keySet()) {
            if (!ATTACH_KEYS.contains(k)) throw new JhtraceException(Failure.BAD_INPUT, "attach: unknown argument '" + k + "' (use pid, name, stackDepth)");
        }
        Object pid = args.get("pid"), name = args.get("name"), depth = args.get("stackDepth");
        if ((pid == null) == (name == null)) throw new JhtraceException(Failure.BAD_INPUT, "attach: give pid: or name:, exactly one");
        TraceOptions options = new TraceOptions(depth == null ? defaults.stackDepth() : ((Number) depth).intValue(), defaults.maxTraces(),
                defaults.exitTable(), defaults.sideEffectsAccepted(), defaults.symbolPath());
        int p = pid != null ? (pid instanceof Number n ? n.intValue() : parsePid(pid.toString())) : resolve(name.toString());
        if (p <= 0) throw new JhtraceException(Failure.BAD_INPUT, "a process id must be positive, not " + p);
        Target t = attach(p, options);
        t.getHtrace().setStackDepth(options.stackDepth());
        return t;
    }

    /**
     * Starts {@code command} under tracing from its first instruction. The target's {@code htrace.enable()}
     * then returns the snapshot {@code launch}, taken before that instruction: a diff from it sees everything.
     */
    public Target launch(List<String> command) {
        if (command == null || command.isEmpty()) throw new JhtraceException(Failure.BAD_INPUT, "launch what? give a command");
        Engine engine = liveEngine.get();
        try (Status.Shown s = status.show("launching " + command.get(0) + " under " + engine.name())) {
            return adopt(engine.launch(command, defaults));
        }
    }

    /**
     * Traces every process of the machine (the perf engine; {@code leaks --all}). The target returned has no handles
     * of its own: after {@code htrace.enable()}, its {@link Target#getChildren()} are the processes seen holding
     * descriptors they opened while traced, each diffed on its own. Detach it to stop.
     */
    public Target attachAll() {
        Engine engine = liveEngine.get();
        try (Status.Shown s = status.show("tracing every process with " + engine.name())) {
            return adopt(engine.attachAll(defaults));
        }
    }

    /** Opens a dump file ({@code .dmp}) or a session saved with {@link #save}. */
    public Target open(String path) {
        return open(Path.of(path));
    }

    /** Opens a minidump ({@code .dmp}), a session saved with {@link #save}, or a WinDbg text log (see {@link #importWindbg}). */
    public Target open(Path path) {
        if (!Files.isRegularFile(path)) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no such file: " + path);
        if (SessionFile.isSessionFile(path)) return load(path);
        if (!isMinidump(path)) return importWindbg(path.toString());
        try (Status.Shown s = status.show("opening " + path.getFileName())) {
            return adopt(Engines.named("minidump").open(path));
        }
    }

    /**
     * Imports WinDbg text logs holding {@code !htrace -diff} / {@code !htrace} and {@code !handle} output
     * (e.g. a {@code .logopen} file from a production box): the result diffs and groups like a live
     * target, from the trace the log shows.
     */
    public Target importWindbg(String... paths) {
        if (paths.length == 0) throw new JhtraceException(Failure.BAD_INPUT, "import which log? give a file");
        WindbgImport imported = WindbgImport.read(java.util.Arrays.stream(paths).map(Path::of).toList());
        Target t = adopt(new WindbgLogSource(imported));
        t.getHtrace().remember(imported.diff().since());
        return t;
    }

    /** The parsed WinDbg logs behind a target made by {@link #importWindbg}, e.g. for the {@code !handle 0 0} totals. */
    public WindbgImport windbgLog(Target target) {
        if (target.getSource() instanceof WindbgLogSource w) return w.log();
        throw new JhtraceException(Failure.BAD_INPUT, target + " is not an imported WinDbg log");
    }

    private static boolean isMinidump(Path path) {
        try (java.io.InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'M' && head[1] == 'D' && head[2] == 'M' && head[3] == 'P';
        } catch (java.io.IOException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Loads a session saved with {@link #save}: its snapshots and trace, to diff and group offline. */
    public Target load(String path) {
        return load(Path.of(path));
    }

    /** Loads a session saved with {@link #save}. */
    public Target load(Path path) {
        SessionFile.Loaded loaded = SessionFile.read(path);
        Target t = adopt(loaded.source());
        loaded.snapshots().forEach(t.getHtrace()::remember);
        return t;
    }

    /** Saves a target's snapshots and trace as JSON (see docs/scripting.md), to {@link #load} later. */
    public void save(Target target, String path) {
        save(target, Path.of(path));
    }

    /** Saves a target's snapshots and trace as JSON. */
    public void save(Target target, Path path) {
        SessionFile.write(target, path);
    }

    /** Processes whose name matches, as the live engine finds them. */
    public List<Engine.ProcessInfo> processes(String name) {
        return liveEngine.get().findProcesses(name);
    }

    /** Every name {@code attach(name)} accepts for the processes running now, sorted, as the live engine matches them. */
    public java.util.SortedSet<String> processNames() {
        return liveEngine.get().processNames();
    }

    /**
     * Runs {@code body} with tracing on, then disables tracing and detaches, also when the body throws or
     * the user presses Ctrl-C: {@code withTracing(attach(name: 'w3wp')) { p -> ... }}.
     */
    public <T> T withTracing(Target target, TracingBody<T> body) throws Exception {
        T result;
        try {
            if (!target.getHtrace().isEnabled()) target.getHtrace().enable();
            result = body.run(target);
        } catch (Exception | Error e) {
            try {
                stopTracing(target);
            } catch (RuntimeException also) {
                e.addSuppressed(also);
            }
            throw e;
        }
        stopTracing(target);
        return result;
    }

    /**
     * Disables tracing and detaches. When disabling fails but detaching works, tracing ended with the
     * debugger: that is kept as a {@link #warnings() warning}, so that a finished capture is not lost.
     */
    private void stopTracing(Target target) {
        RuntimeException disableFailed = null;
        try {
            if (!target.isDetached() && target.isAlive() && target.getHtrace().isEnabled()) target.getHtrace().disable();
        } catch (RuntimeException e) {
            disableFailed = e;
        }
        target.detach();
        if (disableFailed != null) warnings.add("disabling tracing on " + target + " failed (" + disableFailed.getMessage() + "); detached");
    }

    /** Problems that did not stop the work (e.g. tracing ended by detaching because disabling failed), oldest first. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Attaches as {@link #attach(Map)} does, then runs {@link #withTracing(Target, TracingBody)}. */
    public <T> T withTracing(Map<String, ?> args, TracingBody<T> body) throws Exception {
        return withTracing(attach(args), body);
    }

    /**
     * Sleeps, but unlike Groovy's {@code sleep} a Ctrl-C ends it with {@link Cancelled} (so
     * {@code withTracing} disables and detaches).
     */
    public void sleep(long millis) {
        try (Status.Shown shown = millis >= 1_000 ? status.show(String.format("waiting %.1fs, Ctrl-C ends it", millis / 1000.0)) : Status.NONE.show("")) {
            cancellation.sleepMillis(millis);
        }
    }

    /** Throws {@link Cancelled} when Ctrl-C was pressed: call it in long loops that do not sleep. */
    public void checkCancelled() {
        cancellation.check();
    }

    /**
     * Asks the running command or script to stop at its next wait (what Ctrl-C does). Engine calls in
     * progress are not interrupted, so a target is never left stopped half-way.
     */
    public void cancel() {
        cancellation.cancel();
    }

    /** Clears a {@link #cancel()} (the REPL does before each command); returns whether one was pending. */
    public boolean resetCancel() {
        return cancellation.reset();
    }

    /** The target most recently attached or opened and not yet detached, or null. */
    public Target getCurrent() {
        return targets.current();
    }

    /** Makes a target current (the REPL's commands act on the current target). */
    public void setCurrent(Target target) {
        targets.setCurrent(target);
    }

    /** Every target attached or opened and not yet detached. */
    public List<Target> getTargets() {
        return targets.all();
    }

    /**
     * Detaches every target also when the JVM is ended (SIGTERM, or Ctrl-C where no handler is installed)
     * until the result is closed.
     */
    public Status.Shown detachOnShutdown() {
        return ShutdownDetach.install(() -> {
            cancel();
            close();
        });
    }

    /** Detaches every target still attached. Never kills a process. */
    @Override
    public void close() {
        targets.detachAll();
    }

    private Target attach(int pid, TraceOptions options) {
        Engine engine = liveEngine.get();
        try (Status.Shown s = status.show("attaching to " + pid + " with " + engine.name())) {
            return adopt(engine.attach(pid, options));
        }
    }

    private Target adopt(HandleSource source) {
        return targets.adopt(source, () -> status);
    }

    private int resolve(String name) {
        List<Engine.ProcessInfo> found = liveEngine.get().findProcesses(name);
        if (found.isEmpty()) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no process named '" + name + "'");
        if (found.size() > 1) {
            throw new JhtraceException(Failure.BAD_INPUT, found.size() + " processes named '" + name + "', choose one by pid: "
                    + found.stream().map(p -> p.pid() + (p.command() == null ? "" : " (" + p.command() + ")")).collect(Collectors.joining(", ")));
        }
        return found.get(0).pid();
    }

    private static int parsePid(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "'" + s + "' is not a process id");
        }
    }
}
