package dev.jhtrace.gdb.mi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Results in order, as a multimap: GDB/MI keys may repeat ({@code bkpt=..,bkpt=..}), so {@link #all}
 * gives every value of a key and {@link #get} the first. Also used for lists of results.
 *
 * @param results the results, in the order gdb printed them
 */
public record MiTuple(List<MiResult> results) implements MiValue {

    /** The empty tuple {@code {}}. */
    public static final MiTuple EMPTY = new MiTuple(List.of());

    public MiTuple {
        results = List.copyOf(results);
    }

    /** The first value named {@code name}. */
    public Optional<MiValue> get(String name) {
        for (MiResult r : results) if (r.name().equals(name)) return Optional.of(r.value());
        return Optional.empty();
    }

    /** Every value named {@code name}, in order. */
    public List<MiValue> all(String name) {
        List<MiValue> out = new ArrayList<>();
        for (MiResult r : results) if (r.name().equals(name)) out.add(r.value());
        return out;
    }

    /** The first string named {@code name}, or null when absent. */
    public String string(String name) {
        return get(name).map(MiValue::asString).orElse(null);
    }

    /** The first string named {@code name}, or {@code fallback}. */
    public String string(String name, String fallback) {
        String s = string(name);
        return s == null ? fallback : s;
    }

    /** The first value named {@code name} as a list; empty when absent. */
    public List<MiValue> list(String name) {
        return get(name).map(MiValue::asList).orElse(List.of());
    }

    public int size() {
        return results.size();
    }
}
