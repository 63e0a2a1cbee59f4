package dev.jhtrace.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The handles a process has open at one moment, like {@code !handle} or {@code /proc/PID/fd}.
 *
 * @param pid     process id, or 0 when unknown
 * @param time    when the table was read (null when unknown, e.g. imported text)
 * @param entries the open handles, in handle-value order
 */
public record HandleTable(int pid, Instant time, List<HandleEntry> entries) {

    public HandleTable {
        entries = entries.stream().sorted(BY_HANDLE).toList();
    }

    /** Handle counts per type, heaviest first (ties by name), like {@code !handle 0 0}; unknown types count as {@link #UNKNOWN_TYPE}. */
    public Map<String, Integer> countsByType() {
        return countByType(entries.stream().map(HandleEntry::type).toList());
    }

    /** The name used for handles whose type is not known. */
    public static final String UNKNOWN_TYPE = "(unknown)";

    /** Counts type names, heaviest first and then by name; a null type counts as {@link #UNKNOWN_TYPE}. */
    public static Map<String, Integer> countByType(List<String> types) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : types) counts.merge(t == null ? UNKNOWN_TYPE : t, 1, Integer::sum);
        return counts.entrySet().stream()
                .sorted(HEAVIEST_FIRST)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    // Comparators written out rather than made by Comparator.comparingLong, Map.Entry.comparingByValue and the like:
    // the lambdas those JDK methods make are spun anew in every JVM (the class-data-sharing archive keeps only
    // jhtrace's own), a few milliseconds each in a short run such as `jhtrace handles`.
    private static final Comparator<HandleEntry> BY_HANDLE = (a, b) -> Long.compare(a.handle(), b.handle());
    private static final Comparator<Map.Entry<String, Integer>> HEAVIEST_FIRST = (a, b) -> {
        int byCount = Integer.compare(b.getValue(), a.getValue());
        return byCount != 0 ? byCount : a.getKey().compareTo(b.getKey());
    };

    /** The entries by handle value. */
    public Map<Long, HandleEntry> byHandle() {
        return entries.stream().collect(Collectors.toMap(HandleEntry::handle, Function.identity(), (a, b) -> a.mergedWith(b), LinkedHashMap::new));
    }

    public int size() {
        return entries.size();
    }

    /** Only the entries of one type (compared ignoring case). */
    public HandleTable ofType(String type) {
        return new HandleTable(pid, time, entries.stream().filter(e -> e.type() != null && e.type().equalsIgnoreCase(type)).toList());
    }
}
