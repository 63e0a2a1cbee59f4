package dev.jhtrace.dbgeng.nt;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The helper-process timeout and kill path, for real: the helper is a child JVM running the real
 * worker protocol ({@link FakeNameHelper}) with a stand-in query that hangs on handle 0x44 the way
 * NtQueryObject hangs on a synchronous pipe.
 */
class ObjectNameClientTest {
    static List<String> fakeHelper() {
        return FakeNameHelper.command("\\Device\\Fake\\");
    }

    @Test
    void aHangingQueryIsKilledAndTheRestAreStillAnswered() throws Exception {
        try (ObjectNameClient client = new ObjectNameClient(fakeHelper(), 1000, 30_000)) {
            assertEquals(NameLookup.of("\\Device\\Fake\\40"), client.lookup(0x40));
            ProcessHandle first = client.helper().orElseThrow();
            Map<Long, NameLookup> names = client.names(List.of(0x3cL, 0x44L, 0x48L, 0x4cL));
            assertEquals(NameLookup.of("\\Device\\Fake\\3c"), names.get(0x3cL));
            assertEquals(NameLookup.failed(NameLookup.TIMED_OUT), names.get(0x44L));
            assertEquals("name unavailable (timed out)", names.get(0x44L).describeProblem());
            assertEquals(NameLookup.failed("STATUS_INVALID_HANDLE"), names.get(0x48L));
            assertEquals(NameLookup.of("\\Device\\Fake\\4c"), names.get(0x4cL), "a fresh helper answers after the kill");
            assertEquals(1, client.kills());
            first.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(first.isAlive(), "the hung helper was killed");
        }
    }

    @Test
    void manyHangingHandlesCostAFewTimeoutsNotOneEach() {
        try (ObjectNameClient client = new ObjectNameClient(fakeHelper(), 300, 30_000)) {
            Map<Long, NameLookup> names = client.names(List.of(0x44L, 0x144L, 0x244L, 0x344L, 0x40L));
            assertEquals(NameLookup.failed(NameLookup.TIMED_OUT), names.get(0x44L));
            assertEquals(NameLookup.failed(NameLookup.TIMED_OUT), names.get(0x244L));
            assertEquals(NameLookup.failed("skipped after 3 timeouts"), names.get(0x344L));
            assertEquals(NameLookup.failed("skipped after 3 timeouts"), names.get(0x40L));
            assertEquals(ObjectNameClient.MAX_KILLS_PER_LISTING, client.kills());
            // the budget is per listing: the next one asks again
            assertEquals(NameLookup.of("\\Device\\Fake\\40"), client.names(List.of(0x40L)).get(0x40L));
        }
    }

    @Test
    void closeStopsTheHelper() throws Exception {
        ObjectNameClient client = new ObjectNameClient(fakeHelper(), 1000, 30_000);
        client.lookup(0x10);
        ProcessHandle helper = client.helper().orElseThrow();
        client.close();
        client.close();
        helper.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertFalse(helper.isAlive());
        assertEquals(0, client.kills());
    }

    @Test
    void aHelperThatNeverSaysReadyIsAClearError() {
        try (ObjectNameClient client = new ObjectNameClient(FakeNameHelper.command("--silent"), 100, 300)) {
            JhtraceException e = assertThrows(JhtraceException.class, () -> client.lookup(4));
            assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
            assertTrue(e.getMessage().contains("did not start"), e.getMessage());
        }
    }

    @Test
    void aHelperThatExitsIsReportedPerHandle() {
        try (ObjectNameClient client = new ObjectNameClient(FakeNameHelper.command("--quit"), 5000, 30_000)) {
            assertEquals(NameLookup.failed("name helper exited"), client.lookup(4));
        }
    }

    @Test
    void theJavaWorkerCommandUsesThisJvmAndClassPath() {
        List<String> cmd = ObjectNameClient.javaWorkerCommand(77);
        assertEquals(ProcessHandle.current().info().command().orElseThrow(), cmd.get(0));
        assertEquals(System.getProperty("java.class.path"), cmd.get(cmd.indexOf("-cp") + 1));
        assertEquals(List.of(ObjectNameWorker.class.getName(), "77"), cmd.subList(cmd.size() - 2, cmd.size()));
    }

    @Test
    void theRealJavaWorkerStartsAndRefusesToRunOffWindows() throws Exception {
        // the real helper JVM, started as the engine starts it; on Linux it cannot load ntdll and says so
        Process p = new ProcessBuilder(ObjectNameClient.javaWorkerCommand(1)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        if (!WindowsNative.isWindows()) {
            assertEquals(1, p.exitValue());
            assertTrue(out.contains("runs on Windows only"), out);
        }
    }
}
