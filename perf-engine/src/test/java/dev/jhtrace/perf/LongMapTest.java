package dev.jhtrace.perf;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LongMapTest {

    /** Random puts and removes over keys that collide (the tracing's pid << 32 | fd) agree with a HashMap throughout. */
    @Test
    void agreesWithAHashMapThroughPutsRemovesAndGrowth() {
        LongMap<String> map = new LongMap<>();
        Map<Long, String> expected = new HashMap<>();
        Random random = new Random(42);
        for (int n = 0; n < 200_000; n++) {
            long key = ((long) (1000 + random.nextInt(8)) << 32) | random.nextInt(300);
            if (random.nextInt(3) == 0) {
                assertEquals(expected.remove(key), map.remove(key));
            } else {
                String value = "v" + n;
                assertEquals(expected.put(key, value), map.put(key, value));
            }
            if (n % 10_000 == 0) {
                assertEquals(expected.size(), map.size());
                Map<Long, String> seen = new HashMap<>();
                map.forEach(seen::put);
                assertEquals(expected, seen);
            }
        }
        for (Map.Entry<Long, String> e : expected.entrySet()) assertEquals(e.getValue(), map.get(e.getKey()));
        assertNull(map.get(-1L));
    }

    @Test
    void removeIfTakesOutExactlyTheMatchingKeys() {
        LongMap<Long> map = new LongMap<>();
        for (long pid = 1; pid <= 5; pid++) for (long fd = 0; fd < 500; fd++) map.put(pid << 32 | fd, pid);
        long[] removed = new long[1];
        map.removeIf(key -> (int) (key >>> 32) == 3, pid -> {
            assertEquals(3L, pid);
            removed[0]++;
        });
        assertEquals(500, removed[0]);
        assertEquals(2_000, map.size());
        for (long pid = 1; pid <= 5; pid++) {
            for (long fd = 0; fd < 500; fd++) assertEquals(pid == 3 ? null : pid, map.get(pid << 32 | fd));
        }
    }
}
