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
 * @param handles the handles shown, by value (with {@code processes}: each process's in turn)
 * @param processes when the listing spans several processes (kernel {@code !handle 0 3 0}), each one's part in
 *                  printed order; empty for a single process
 */
public record HandleListing(Integer pid, int total, Map<String, Integer> types, List<HandleEntry> handles,
                            List<ProcessHandles> processes) {

    public HandleListing {
        processes = List.copyOf(processes);
    }

    /** A listing of one process. */
    public HandleListing(Integer pid, int total, Map<String, Integer> types, List<HandleEntry> handles) {
        this(pid, total, types, handles, List.of());
    }

    /** A listing spanning {@code processes}: no single pid, totals summed, types counted over all handles shown. */
    public static HandleListing ofProcesses(List<ProcessHandles> processes) {
        List<HandleEntry> all = processes.stream().flatMap(p -> p.handles().stream()).toList();
        int total = processes.stream().mapToInt(ProcessHandles::total).sum();
        return new HandleListing(null, total, HandleTable.countByType(all.stream().map(HandleEntry::type).toList()), all, processes);
    }

    /** The listing of a whole table. */
    public static HandleListing of(HandleTable table) {
        return new HandleListing(table.pid() == 0 ? null : table.pid(), table.size(), table.countsByType(), table.entries());
    }

    /** Only the handles of one type (the total then counts those). */
    public HandleListing ofType(String type) {
        if (!processes.isEmpty()) {
            List<ProcessHandles> kept = processes.stream()
                    .map(p -> new ProcessHandles(p.pid(), p.image(), null, ofType(p.handles(), type)))
                    .filter(p -> !p.handles().isEmpty()).toList();
            return ofProcesses(kept);
        }
        List<HandleEntry> kept = ofType(handles, type);
        return new HandleListing(pid, kept.size(), HandleTable.countByType(kept.stream().map(HandleEntry::type).toList()), kept);
    }

    private static List<HandleEntry> ofType(List<HandleEntry> handles, String type) {
        return handles.stream().filter(h -> h.type() != null && h.type().equalsIgnoreCase(type)).toList();
    }
}
