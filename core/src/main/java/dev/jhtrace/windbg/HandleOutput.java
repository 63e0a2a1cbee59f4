package dev.jhtrace.windbg;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.report.ProcessHandles;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code !handle} command printed: per-handle entries (type-only lines or full detail blocks, user or
 * kernel format), and the summary when there is one.
 *
 * <p>Facts without a field of their own in {@link HandleEntry} go to its details map: {@code Rights} (the access
 * names printed under {@code GrantedAccess}, one printed line per {@code \n}), {@code Name} = {@code <none>} when
 * the debugger printed {@code Name <none>}, the object-specific lines ({@code Thread Id}, {@code Event Type},
 * {@code Semaphore Count} ...), {@code Object Specific Information} = {@code not available}, and in kernel
 * format {@code Object}, {@code ObjectHeader}, {@code Flags} (the attributes kd prints after the access, e.g.
 * {@code Inherit} or {@code Protected, Inherit}) and {@code Entry} (the handle-table entry's address).
 *
 * @param handles       the handles shown, in printed order
 * @param handleDigits  zero padding of printed handle values (8 or 16), or 0 when printed unpadded
 * @param reportedTotal the debugger's own {@code N Handles} figure (kernel: entries in use), or null
 * @param typeCounts    the {@code Type / Count} summary table in printed order (empty when not printed)
 * @param typeFilter    the type of a {@code N handles of type X} footer, or null
 * @param typeFilterCount the N of that footer, or null
 * @param freeEntries   kernel format: free handle-table entries listed
 * @param elisions      {@code ...} lines standing for lines left out of the log
 * @param process       kernel format: the process's image name when the output shows one process, else null
 * @param pid           kernel format: the process's Cid when the output shows one process, else null
 * @param notes         debugger messages met inside the output (kernel process header, warnings)
 * @param processes     kernel format: each {@code PROCESS} block in printed order with the handles listed under it
 *                      (also those listing none), and a first part without pid for handles printed before any
 *                      block; empty for user-mode output. With several processes {@code reportedTotal} is the sum
 *                      of their {@code entries in use}.
 */
public record HandleOutput(List<HandleEntry> handles, int handleDigits, Integer reportedTotal, Map<String, Integer> typeCounts,
                           String typeFilter, Integer typeFilterCount, int freeEntries, int elisions,
                           String process, Integer pid, List<String> notes, List<ProcessHandles> processes) implements OutputContent {

    public HandleOutput {
        handles = List.copyOf(handles);
        typeCounts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(typeCounts));
        notes = List.copyOf(notes);
        processes = List.copyOf(processes);
    }

    /** A user-mode output (no {@code PROCESS} blocks). */
    public HandleOutput(List<HandleEntry> handles, int handleDigits, Integer reportedTotal, Map<String, Integer> typeCounts,
                        String typeFilter, Integer typeFilterCount, int freeEntries, int elisions,
                        String process, Integer pid, List<String> notes) {
        this(handles, handleDigits, reportedTotal, typeCounts, typeFilter, typeFilterCount, freeEntries, elisions, process, pid, notes, List.of());
    }

    /** True when the {@code N Handles} line or the type table was printed. */
    public boolean hasSummary() {
        return reportedTotal != null || !typeCounts.isEmpty();
    }
}
