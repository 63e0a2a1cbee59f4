package dev.jhtrace.dbgeng.nt;

import dev.jhtrace.spi.Failure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NtStatusTest {
    @Test
    void statusesMapToFailuresAndReadableText() {
        assertEquals(Failure.PERMISSION_DENIED, NtStatus.error("reading", NtStatus.STATUS_ACCESS_DENIED).failure());
        assertTrue(NtStatus.error("reading", NtStatus.STATUS_ACCESS_DENIED).getMessage().contains("elevated"));
        assertEquals(Failure.TARGET_NOT_FOUND, NtStatus.failureOf(NtStatus.STATUS_PROCESS_IS_TERMINATING));
        assertEquals(Failure.ENGINE_UNAVAILABLE, NtStatus.failureOf(NtStatus.STATUS_INVALID_INFO_CLASS));
        assertEquals(Failure.OTHER, NtStatus.failureOf(NtStatus.STATUS_INSUFFICIENT_RESOURCES));
        assertEquals("STATUS_INSUFFICIENT_RESOURCES (0xC000009A)", NtStatus.describe(NtStatus.STATUS_INSUFFICIENT_RESOURCES));
        assertEquals("0xC0001234", NtStatus.describe(0xC0001234));
        assertTrue(NtStatus.isSuccess(NtStatus.STATUS_SUCCESS));
        assertTrue(NtStatus.isSuccess(NtStatus.STATUS_PENDING));
        assertFalse(NtStatus.isSuccess(NtStatus.STATUS_BUFFER_OVERFLOW));
    }
}
