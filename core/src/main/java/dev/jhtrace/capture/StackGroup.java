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
 */
public record StackGroup(String id, String key, int count, int opened, Map<String, Integer> types, List<String> names,
                         StackTrace stack) {
    public StackGroup {
        types = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(types));
        names = List.copyOf(names);
    }
}
