package dev.jhtrace.report;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;

import java.util.List;
import java.util.Map;

/**
 * What {@code jhtrace handles}, {@code jhtrace dump} and {@code !handle} imports print: counts by type, then handles.
 *
 * @param pid     process id, or null when unknown
 * @param total   number of handles (the debugger's own figure when it printed one, even if the listing was cut)
 * @param types   counts per type, heaviest first
 * @param handles the handles shown, by value
 */
public record HandleListing(Integer pid, int total, Map<String, Integer> types, List<HandleEntry> handles) {

    /** The listing of a whole table. */
    public static HandleListing of(HandleTable table) {
        return new HandleListing(table.pid() == 0 ? null : table.pid(), table.size(), table.countsByType(), table.entries());
    }

    /** Only the handles of one type (the total then counts those). */
    public HandleListing ofType(String type) {
        List<HandleEntry> kept = handles.stream().filter(h -> h.type() != null && h.type().equalsIgnoreCase(type)).toList();
        return new HandleListing(pid, kept.size(), HandleTable.countByType(kept.stream().map(HandleEntry::type).toList()), kept);
    }
}
