package dev.jhtrace.shell.api;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.LeakReportText;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The handles a target has open at one moment: iterate it for {@link HandleEntry} objects.
 * <pre>
 * def h = p.handles()
 * println h.size()                  // 42
 * println h.countsByType()          // [File:30, Socket:8, Pipe:4]
 * h.ofType('Socket').each { println it.name() }
 * </pre>
 */
public final class Handles implements Iterable<HandleEntry> {
    private final HandleTable table;

    public Handles(HandleTable table) {
        this.table = table;
    }

    /** The underlying table (pid, time, entries). */
    public HandleTable getTable() {
        return table;
    }

    /** Number of handles. */
    public int size() {
        return table.size();
    }

    /** Counts per type, heaviest first, like {@code !handle 0 0}. */
    public Map<String, Integer> countsByType() {
        return table.countsByType();
    }

    /** Only the handles of one type (compared ignoring case). */
    public Handles ofType(String type) {
        return new Handles(table.ofType(type));
    }

    /** The handle with this value, or null. */
    public HandleEntry get(long handle) {
        return table.byHandle().get(handle);
    }

    /** The entries, by handle value. */
    public List<HandleEntry> getEntries() {
        return table.entries();
    }

    @Override
    public Iterator<HandleEntry> iterator() {
        return table.entries().iterator();
    }

    /** The listing as {@code jhtrace handles} prints it. */
    @Override
    public String toString() {
        return LeakReportText.render(HandleListing.of(table));
    }
}
