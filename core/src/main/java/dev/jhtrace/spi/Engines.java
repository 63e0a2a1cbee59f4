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

    /** The engine for live processes on this operating system: dbgeng on Windows, gdb elsewhere. */
    public static Engine forLiveProcesses() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        return named(windows ? "dbgeng" : "gdb");
    }
}
