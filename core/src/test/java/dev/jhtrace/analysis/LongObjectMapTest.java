package dev.jhtrace.analysis;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LongObjectMapTest {

    @Test
    void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
        Random random = new Random(7);
        LongObjectMap<Long> map = new LongObjectMap<>(4);
        Map<Long, Long> reference = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            long key = random.nextInt(5_000) * 4L; // handle-like values, many collisions and reuse
            if (random.nextInt(3) == 0) {
                map.remove(key);
                reference.remove(key);
            } else {
                map.put(key, (long) i);
                reference.put(key, (long) i);
            }
            if (i % 997 == 0) {
                for (long k = 0; k < 20_000; k += 4) assertEquals(reference.get(k), map.get(k), "key " + k + " after step " + i);
            }
        }
        assertEquals(reference.size(), map.size());
    }
}
