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

    /** The engine with this name or alias. */
    public static Engine named(String name) {
        return all().stream()
                .filter(e -> e.name().equalsIgnoreCase(name) || e.aliases().stream().anyMatch(name::equalsIgnoreCase)).findFirst()
                .orElseThrow(() -> new JhtraceException(Failure.ENGINE_UNAVAILABLE, "no engine named '" + name + "' in this build"));
    }

    /**
     * The engine for live processes on this operating system: the windows engine on Windows; on Linux perf where it is
     * permitted, gdb otherwise (see {@link #liveChoice()}).
     */
    public static Engine forLiveProcesses() {
        return liveChoice().engine();
    }

    /**
     * The engine that lists live processes' handles ({@code jhtrace handles}): the windows engine on Windows, gdb on
     * Linux. Both Linux engines list with the same {@code /proc} reader, which needs neither gdb nor perf, so no
     * engine is probed: {@link #liveChoice()} asks perf whether it is permitted by running two processes, which cost
     * a short listing more than reading the table.
     */
    public static Engine forHandleListing() {
        if (isWindows()) return named("windows");
        // the engines made one at a time up to gdb: the ones after it are never made (nor are their installations
        // looked for) in a run that only lists
        for (Engine e : ServiceLoader.load(Engine.class)) {
            if (e.name().equals("gdb")) return e;
        }
        return forLiveProcesses();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    /** The engine named {@code name} (as {@code --engine} gives it), or {@link #forLiveProcesses()} when null. */
    public static Engine forLiveProcesses(String name) {
        return name == null ? forLiveProcesses() : named(name);
    }

    /**
     * Which engine live processes get, and why: windows on Windows; on Linux perf where it is permitted (root, or
     * CAP_PERFMON with tracefs readable), as it never stops the target; gdb otherwise, the reason saying what perf lacks
     * and what to change.
     */
    public static LiveChoice liveChoice() {
        if (isWindows()) return new LiveChoice(named("windows"), "windows, the Windows engine");
        Engine perf = all().stream().filter(e -> e.name().equals("perf")).findFirst().orElse(null);
        if (perf == null) return new LiveChoice(named("gdb"), "gdb (this build has no perf engine)");
        Engine.Availability a = perf.availability();
        if (!a.available()) return new LiveChoice(named("gdb"), "gdb: the perf engine is not usable here: " + a.detail());
        return new LiveChoice(perf, "perf: permitted here, " + a.detail() + "; it never stops the target (--engine gdb for gdb)");
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
