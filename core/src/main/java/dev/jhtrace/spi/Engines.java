package dev.jhtrace.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the engines on the class path. */
public final class Engines {
    private Engines() {
    }

    /** Every engine on the class path, available or not. */
    public static List<Engine> all() {
        List<Engine> list = new ArrayList<>();
        ServiceLoader.load(Engine.class).forEach(list::add);
        return list;
    }

    /** The engine with this name. */
    public static Engine named(String name) {
        return all().stream().filter(e -> e.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new JhtraceException(Failure.ENGINE_UNAVAILABLE, "no engine named '" + name + "' in this build"));
    }

    /** The engine for live processes on this operating system: dbgeng on Windows; on Linux perf where permitted, else gdb. */
    public static Engine forLiveProcesses() {
        return liveChoice().engine();
    }

    /** The engine named {@code name} (as {@code --engine} gives it), or {@link #forLiveProcesses()} when null. */
    public static Engine forLiveProcesses(String name) {
        return name == null ? forLiveProcesses() : named(name);
    }

    /**
     * Which engine live processes get, and why: dbgeng on Windows; on Linux perf when it is on the class path and
     * available (installed, permitted: root or CAP_PERFMON), gdb otherwise, the reason naming what perf lacks.
     */
    public static LiveChoice liveChoice() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        if (windows) return new LiveChoice(named("dbgeng"), "the Windows engine");
        Engine perf = all().stream().filter(e -> e.name().equals("perf")).findFirst().orElse(null);
        if (perf == null) return new LiveChoice(named("gdb"), "gdb: this build has no perf engine");
        Engine.Availability a = perf.availability();
        if (a.available()) return new LiveChoice(perf, "perf: available and permitted, it never stops the target");
        return new LiveChoice(named("gdb"), "gdb, since perf is not usable here (" + a.detail() + ")");
    }

    /**
     * The engine for live processes and why it was chosen.
     *
     * @param engine the engine
     * @param reason one line saying why
     */
    public record LiveChoice(Engine engine, String reason) {
    }
}
