package dev.jhtrace.shell.api;

import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.report.LeakReportText;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One group of outstanding handles: the handles that share a stack (or a type, module or function).
 * {@code println group} prints one line, e.g. {@code 12 x File  leaked by demo-server!leak_log+0x2e  demo-server.c:41}.
 */
public final class Group {
    private final LeakGroup group;

    public Group(LeakGroup group) {
        this.group = group;
    }

    /** The core record with every detail. */
    public LeakGroup getDetail() {
        return group;
    }

    /** How many handles are outstanding in this group. */
    public int getCount() {
        return group.count();
    }

    /** What the group shares: the leaking frame's symbol, a type, a module or a function. */
    public String getKey() {
        return group.key();
    }

    /** Counts per handle type, heaviest first. */
    public Map<String, Integer> getTypes() {
        return group.types();
    }

    /** A few sample object names (paths, socket names ...). */
    public List<String> getNames() {
        return group.names();
    }

    /** The first frame outside the system libraries: the code that leaks; null when the stack is unknown. */
    public StackFrame getLeakFrame() {
        return group.leakFrame();
    }

    /** The stack that opened the handles, innermost frame first. */
    public StackTrace getStack() {
        return group.stack();
    }

    /** The outstanding handles of this group, oldest first. */
    public List<OutstandingHandle> getHandles() {
        return group.handles();
    }

    /** The full stack as text, one frame a line, the leaking frame marked with {@code >}. */
    public String stackText() {
        return LeakReportText.stack(group);
    }

    @Override
    public String toString() {
        String types = group.types().size() == 1 ? group.types().keySet().iterator().next()
                : group.types().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        StackFrame f = group.leakFrame();
        String where = f == null ? group.key() : "leaked by " + f.symbol() + (f.file() == null ? "" : "  " + f.file() + (f.line() == null ? "" : ":" + f.line()));
        return group.count() + " x " + types + "  " + where;
    }
}
