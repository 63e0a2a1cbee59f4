package dev.jhtrace.perf;

import java.util.function.BiConsumer;
import java.util.function.LongPredicate;

/**
 * A map from primitive {@code long} keys, open addressing with linear probing: the decoder's per-event tables (a
 * process's descriptor, its open's raw stack) without a boxed key and a node per entry, which at 200,000 events a
 * second were most of what the tracing allocated. Not thread-safe.
 */
final class LongMap<V> {
    private static final int MIN_CAPACITY = 16;
    private long[] keys = new long[MIN_CAPACITY];
    private Object[] values = new Object[MIN_CAPACITY]; // null: a free slot
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int i = find(key);
        return i < 0 ? null : (V) values[i];
    }

    /** Puts {@code value} (not null) under {@code key}; returns what was there. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (value == null) throw new IllegalArgumentException("no null values");
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = key;
                values[i] = value;
                if (++size * 4 > keys.length * 3) resize(keys.length * 2);
                return null;
            }
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
    }

    @SuppressWarnings("unchecked")
    V remove(long key) {
        int i = find(key);
        if (i < 0) return null;
        V old = (V) values[i];
        delete(i);
        return old;
    }

    /** Every entry, in no particular order; the map is not to be changed meanwhile. */
    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<Long, V> action) {
        for (int i = 0; i < keys.length; i++) if (values[i] != null) action.accept(keys[i], (V) values[i]);
    }

    /** Every value, in no particular order; the map is not to be changed meanwhile. */
    @SuppressWarnings("unchecked")
    void forEachValue(java.util.function.Consumer<V> action) {
        for (int i = 0; i < keys.length; i++) if (values[i] != null) action.accept((V) values[i]);
    }

    /** Removes the entries whose key {@code test} accepts, handing each removed value to {@code removed}. */
    @SuppressWarnings("unchecked")
    void removeIf(LongPredicate test, java.util.function.Consumer<V> removed) {
        for (int i = 0; i < keys.length; ) {
            if (values[i] != null && test.test(keys[i])) {
                V v = (V) values[i];
                delete(i);
                removed.accept(v);
                // the slot may now hold an entry shifted back into it: look at it again
            } else {
                i++;
            }
        }
    }

    private int find(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) if (keys[i] == key) return i;
        return -1;
    }

    /** Frees slot {@code i}, moving back the entries after it that it kept from their slots (no tombstones). */
    private void delete(int i) {
        int mask = keys.length - 1;
        int gap = i;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            // the entry at j may move to the gap when its home is not in (gap, j], cyclically
            if (gap <= j ? (home <= gap || home > j) : (home <= gap && home > j)) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        values[gap] = null;
        size--;
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[capacity];
        values = new Object[capacity];
        int mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] == null) continue;
            int j = slot(oldKeys[i], mask);
            while (values[j] != null) j = (j + 1) & mask;
            keys[j] = oldKeys[i];
            values[j] = oldValues[i];
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: (pid << 32 | fd) keys differ in both halves
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
