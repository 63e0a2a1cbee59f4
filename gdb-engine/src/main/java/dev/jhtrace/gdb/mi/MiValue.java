package dev.jhtrace.gdb.mi;

import java.util.List;

/**
 * A GDB/MI value: a c-string, a tuple {@code {...}} or a list {@code [...]}.
 * Lists hold either plain values or results ({@code name=value}); both forms keep their order.
 */
public sealed interface MiValue permits MiValue.Str, MiTuple, MiValue.ValueList {

    /** This value as a string, or a {@link MiParseException} when it is not a c-string. */
    default String asString() {
        if (this instanceof Str s) return s.text();
        throw new MiParseException("expected a string, found " + this);
    }

    /** This value as a tuple (a list of results is a tuple too), or a {@link MiParseException}. */
    default MiTuple asTuple() {
        if (this instanceof MiTuple t) return t;
        if (this instanceof ValueList l && l.values().isEmpty()) return MiTuple.EMPTY;
        throw new MiParseException("expected a tuple, found " + this);
    }

    /** The values of a list; a tuple gives its results' values; a string is a one-element list. */
    default List<MiValue> asList() {
        if (this instanceof ValueList l) return l.values();
        if (this instanceof MiTuple t) return t.results().stream().map(MiResult::value).toList();
        return List.of(this);
    }

    /**
     * A c-string value, escapes decoded (octal-escaped bytes as UTF-8).
     *
     * @param text the decoded text
     */
    record Str(String text) implements MiValue {
        @Override
        public String toString() {
            return '"' + text + '"';
        }
    }

    /**
     * A list of plain values, {@code ["a","b"]} or {@code [{..},{..}]}. A list of results
     * ({@code [frame={..},frame={..}]}) is parsed as a {@link MiTuple} with repeated keys.
     *
     * @param values the items, in order
     */
    record ValueList(List<MiValue> values) implements MiValue {
        public ValueList {
            values = List.copyOf(values);
        }
    }
}
