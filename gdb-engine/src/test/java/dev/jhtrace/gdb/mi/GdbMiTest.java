package dev.jhtrace.gdb.mi;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MI driver against a real gdb 13. */
class GdbMiTest {

    @Test
    void commandsResultsStreamsAndErrors() {
        try (GdbMi gdb = GdbMi.start("gdb", 10_000)) {
            MiResponse version = gdb.execute("-gdb-version", 5000);
            assertFalse(version.isError());
            assertTrue(version.consoleText().startsWith("GNU gdb"), version.consoleText());

            MiResponse echo = gdb.execute("-interpreter-exec console " + GdbMi.quote("echo caf\\303\\251 \"quoted\"\\n"), 5000);
            assertEquals("café \"quoted\"\n", echo.consoleText());

            MiResponse err = gdb.execute("-no-such-command", 5000);
            assertTrue(err.isError());
            assertTrue(err.result().errorMessage().contains("Undefined MI command"), err.result().errorMessage());
            JhtraceException e = assertThrows(JhtraceException.class, () -> gdb.call("-no-such-command", 5000));
            assertTrue(e.getMessage().startsWith("gdb: Undefined MI command"), e.getMessage());

            MiTuple eval = gdb.call("-data-evaluate-expression \"6*7\"", 5000);
            assertEquals("42", eval.string("value"));
            assertThrows(JhtraceException.class, () -> gdb.execute("two\nlines", 1000));
        }
    }

    @Test
    void asyncRecordsReachListenersAndWaiters() {
        try (GdbMi gdb = GdbMi.start("gdb", 10_000)) {
            List<MiRecord> seen = new CopyOnWriteArrayList<>();
            gdb.addListener(seen::add);
            CompletableFuture<MiRecord.Async> added = gdb.expect(a -> a.asyncClass().equals("thread-group-added"));
            MiTuple r = gdb.call("-add-inferior", 5000);
            MiRecord.Async rec = gdb.await(added, "thread-group-added", 5000);
            assertEquals(r.string("inferior"), rec.results().string("id"));
            assertTrue(seen.contains(rec));
        }
    }

    @Test
    void timeoutThenRecoveryThenExit() {
        GdbMi gdb = GdbMi.start("gdb", 10_000);
        try {
            JhtraceException slow = assertThrows(JhtraceException.class,
                    () -> gdb.execute("-interpreter-exec console " + GdbMi.quote("python import time; time.sleep(1.5)"), 200));
            assertTrue(slow.getMessage().contains("did not answer"), slow.getMessage());
            // the late answer is not mistaken for the next command's
            assertEquals("3", gdb.call("-data-evaluate-expression 1+2", 5000).string("value"));
            assertTrue(gdb.isAlive());
        } finally {
            gdb.close();
        }
        assertFalse(gdb.isAlive());
        JhtraceException gone = assertThrows(JhtraceException.class, () -> gdb.execute("-gdb-version", 1000));
        assertEquals(Failure.OTHER, gone.failure());
        assertTrue(gone.getMessage().startsWith("gdb exited"), gone.getMessage());
        gdb.close(); // idempotent
    }

    @Test
    void missingGdbIsEngineUnavailable() {
        JhtraceException e = assertThrows(JhtraceException.class, () -> GdbMi.start("/nonexistent/gdb", 1000));
        assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
        assertTrue(e.getMessage().contains("apt-get install gdb"));
    }
}
