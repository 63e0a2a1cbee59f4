package dev.jhtrace.report;

import dev.jhtrace.model.HandleEntry;

import java.util.List;

/**
 * One process's part of a listing that spans processes, as the kernel debugger's {@code !handle 0 3 0 [TYPE]}
 * prints it: a {@code PROCESS} block, {@code Handle table at ... with N entries in use}, then the handles.
 *
 * @param pid           the process's Cid, or null when the log does not show it
 * @param image         the process's image name ({@code Image:} line), or null
 * @param reportedTotal the debugger's {@code N entries in use}, or null when not printed
 * @param handles       the handles shown for this process, by value
 */
public record ProcessHandles(Integer pid, String image, Integer reportedTotal, List<HandleEntry> handles) {

    public ProcessHandles {
        handles = List.copyOf(handles);
    }

    /** The debugger's own figure when it printed one, else the handles shown. */
    public int total() {
        return reportedTotal != null ? reportedTotal : handles.size();
    }
}
