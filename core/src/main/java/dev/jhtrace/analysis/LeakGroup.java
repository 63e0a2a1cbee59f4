package dev.jhtrace.analysis;

import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Outstanding handles that share a stack (or a type, module or function): one line of the leak report.
 *
 * @param key       what the group shares, as text: the leaking frame's symbol, a type, a module or a function
 * @param count     number of outstanding handles
 * @param types     handle counts per type, heaviest first
 * @param names     a few sample object names
 * @param threads   the thread ids that opened them, ascending
 * @param leakFrame the first frame outside the system modules (null when the stack is unknown)
 * @param stack     the stack that opened them (for merged groups: the most common one)
 * @param firstSeen time of the earliest open, when the trace has times
 * @param lastSeen  time of the latest open, when the trace has times
 * @param handles   the outstanding handles themselves
 */
public record LeakGroup(String key, int count, Map<String, Integer> types, List<String> names, List<Integer> threads,
                        StackFrame leakFrame, StackTrace stack, Instant firstSeen, Instant lastSeen,
                        List<OutstandingHandle> handles) {

    /** How many of its handles were opened by one of several OPENs whose order the trace cannot tell (the newest was taken). */
    public int orderingUnknown() {
        int n = 0;
        for (OutstandingHandle h : handles) {
            if (h.orderingUnknown()) n++;
        }
        return n;
    }

    /** How many of its handles were opened by an OPEN the engine worked out rather than saw ({@link dev.jhtrace.model.TraceEvent#inferred()}). */
    public int inferred() {
        int n = 0;
        for (OutstandingHandle h : handles) {
            if (h.open() != null && h.open().inferred()) n++;
        }
        return n;
    }
}
