package dev.jhtrace.capture;

import dev.jhtrace.model.StackTrace;

import java.util.List;
import java.util.Map;

/**
 * Outstanding handles that one stack opened, as one record saw them.
 *
 * @param id     identifies the stack across records and restarts (a hash of its symbols, not its addresses)
 * @param key    the leaking frame, e.g. {@code demo-server!load_template+0x2d}, or {@code (stack unknown)}
 * @param count  handles this stack opened since tracing began that are still open
 * @param opened of those, how many were opened since the previous record
 * @param types  those handles per type, heaviest first
 * @param names  a few sample object names
 * @param stack  the stack, innermost frame first
 * @param inferred of {@code count}, how many the engine did not see opened but worked out
 *               ({@link dev.jhtrace.model.TraceEvent#inferred()})
 */
public record StackGroup(String id, String key, int count, int opened, Map<String, Integer> types, List<String> names,
                         StackTrace stack, int inferred) {
    public StackGroup {
        types = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(types));
        names = List.copyOf(names);
    }

    /** A group whose handles were all seen opened. */
    public StackGroup(String id, String key, int count, int opened, Map<String, Integer> types, List<String> names, StackTrace stack) {
        this(id, key, count, opened, types, names, stack, 0);
    }

    /** This group with {@code stack} (an interned equal one, say), all else kept. */
    public StackGroup withStack(StackTrace stack) {
        return new StackGroup(id, key, count, opened, types, names, stack, inferred);
    }
}
