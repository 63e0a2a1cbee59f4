package dev.jhtrace.session;

import dev.jhtrace.model.LoadedModule;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The modules a target was seen to have loaded while it ran (its module maps, recorded at each snapshot, diff and
 * capture record), so a frame the engine cannot resolve, e.g. in a library unloaded since or after the target exited,
 * still says {@code module+offset}. Not thread-safe.
 */
public final class RecordedModules {
    private final TreeMap<Long, LoadedModule> byBase = new TreeMap<>(Long::compareUnsigned);

    /** Adds the modules a running source has loaded now; nothing for a dump, a record, an exited process or an engine that cannot list them. */
    public void recordFrom(HandleSource source) {
        if (!source.isLive() || !source.isAlive()) return;
        try {
            record(source.loadedModules());
        } catch (JhtraceException notListed) {
            // an engine that cannot list modules (or the process exited meanwhile): frames keep what the engine resolves
        }
    }

    /** Adds the modules loaded now; a module at a base seen before replaces the older one. */
    public void record(Collection<LoadedModule> modules) {
        for (LoadedModule m : modules) if (m.name() != null && !m.name().isEmpty()) byBase.put(m.base(), m);
    }

    /** The module holding {@code address}, or null. */
    public LoadedModule moduleAt(long address) {
        // modules may overlap once a range was reused: the nearest base at or below that contains it
        for (Map.Entry<Long, LoadedModule> e : byBase.headMap(address, true).descendingMap().entrySet()) {
            LoadedModule m = e.getValue();
            if (Long.compareUnsigned(address, m.end()) < 0) return m;
        }
        return null;
    }

    /** The frame as {@code module+offset} when it is unresolved and inside a recorded module; otherwise the frame. */
    public StackFrame resolve(StackFrame frame) {
        if (!frame.isUnresolved()) return frame;
        LoadedModule m = moduleAt(frame.address());
        if (m == null) return frame;
        return new StackFrame(frame.address(), m.name(), null, frame.address() - m.base(), null, null);
    }

    public int size() {
        return byBase.size();
    }
}
