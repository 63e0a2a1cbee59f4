package dev.jhtrace.dbgeng.nt;

import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrowingQueryTest {

    @Test
    void growsToTheSizeAskedForAndZeroesEachBuffer() {
        List<Integer> sizes = new ArrayList<>();
        GrowingQuery.Outcome o = new GrowingQuery(16, 1 << 20, 5).run("test", (buffer, length, returned) -> {
            sizes.add(length);
            for (int i = 0; i < length; i++) assertEquals(0, buffer.getByte(i), "zeroed before the call");
            buffer.setByte(0, (byte) 1);
            returned.setValue(1000);
            return length < 1000 ? NtStatus.STATUS_INFO_LENGTH_MISMATCH : NtStatus.STATUS_SUCCESS;
        });
        assertTrue(o.ok());
        assertEquals(16, sizes.get(0));
        assertTrue(sizes.get(1) >= 1000, "second call uses the size the first asked for: " + sizes);
        assertEquals(2, sizes.size());
        assertEquals(1000, o.result().length());
    }

    @Test
    void otherFailuresAreReturnedForTheCallerToJudge() {
        GrowingQuery.Outcome o = new GrowingQuery(16, 64, 3).run("test", (b, l, r) -> NtStatus.STATUS_INVALID_PARAMETER);
        assertFalse(o.ok());
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, o.status());
        JhtraceException e = assertThrows(JhtraceException.class, () -> o.orThrow("reading x"));
        assertEquals("reading x failed with STATUS_INVALID_PARAMETER (0xC000000D)", e.getMessage());
    }

    @Test
    void aSizeBeyondTheLimitStopsInsteadOfExhaustingMemory() {
        int[] calls = {0};
        JhtraceException e = assertThrows(JhtraceException.class, () -> new GrowingQuery(16, 4096, 50).run("huge", (b, l, r) -> {
            calls[0]++;
            r.setValue(Integer.MAX_VALUE);
            return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
        }));
        assertTrue(e.getMessage().contains("more than 4096 bytes"), e.getMessage());
        assertTrue(calls[0] <= 3, "calls: " + calls[0]);
    }
}
