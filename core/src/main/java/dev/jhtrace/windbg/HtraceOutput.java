package dev.jhtrace.windbg;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code !htrace} command printed.
 *
 * @param command       which form of {@code !htrace} it was (from the command line, or from the content when no command is shown)
 * @param layout        user-mode 32/64-bit or kernel layout
 * @param messages      status lines ({@code Handle tracing enabled.}, {@code Handle tracing information snapshot successfully taken.} ...)
 * @param newTraces     the {@code 0x.. new stack traces since the previous snapshot} figure, or null
 * @param ignoringClosed true when {@code Ignoring handles that were already closed...} was printed
 * @param diffHeader    true when {@code Outstanding handles opened since the previous snapshot:} was printed
 * @param process       kernel header {@code Process 0x..} (an EPROCESS address), or null
 * @param objectTable   kernel header {@code ObjectTable 0x..}, or null
 * @param events        the entries, OLDEST FIRST with {@link TraceEvent#order()} 0, 1, ... (WinDbg prints newest first)
 * @param elisions      lines such as {@code ...} or {@code ****} that stood for entries or frames left out of the log
 * @param parsed        the {@code Parsed 0x.. stack traces.} figure, or null
 * @param dumped        the {@code Dumped 0x.. stack traces.} figure, or null
 * @param displayed     the {@code Displayed 0x.. stack traces for outstanding handles ...} figure, or null
 * @param usage         usage lines printed instead of results
 * @param notes         debugger messages met inside the output ({@code *** WARNING: Unable to verify checksum ...})
 */
public record HtraceOutput(HtraceCommand command, HtraceLayout layout, List<String> messages, Long newTraces,
                           boolean ignoringClosed, boolean diffHeader, Long process, Long objectTable,
                           List<TraceEvent> events, int elisions, Long parsed, Long dumped, Long displayed,
                           List<String> usage, List<String> notes) implements OutputContent {

    public HtraceOutput {
        messages = List.copyOf(messages);
        events = List.copyOf(events);
        usage = List.copyOf(usage);
        notes = List.copyOf(notes);
    }

    /**
     * The handles this output shows open, each with its newest OPEN event, oldest first: for a diff every OPEN
     * entry; for a listing the handles whose newest event is an OPEN (not followed by a CLOSE).
     */
    public List<TraceEvent> outstanding() {
        Map<Long, TraceEvent> open = new LinkedHashMap<>();
        for (TraceEvent e : events) {
            if (e.kind() == EventKind.OPEN) {
                open.remove(e.handle());
                open.put(e.handle(), e);
            } else if (e.kind() == EventKind.CLOSE && command != HtraceCommand.DIFF) {
                open.remove(e.handle());
            }
        }
        return List.copyOf(open.values());
    }

    /** The events of one kind, oldest first. */
    public List<TraceEvent> events(EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }
}
