package dev.jhtrace.dbgeng.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.jhtrace.dbgeng.jna.DbgEngConstants;
import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.dbgeng.jna.SymbolName;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.InOrder;

/** The client's logic driven through mocked COM interfaces (dbgeng itself cannot run here). */
class DbgEngClientTest {
    private final MockDbgEng dbgeng = new MockDbgEng();
    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private final DbgEngClientOptions options = DbgEngClientOptions.defaults()
            .withCallTimeoutMillis(20_000).withOutputListener((mask, line) -> logged.add(line));
    private DbgEngClient client;

    @AfterEach
    void close() {
        if (client != null) client.close();
    }

    @Test
    void everyComCallRunsOnTheEngineThread() {
        client = DbgEngClient.start(dbgeng, options);
        when(dbgeng.systemObjects.getCurrentProcessSystemId()).thenAnswer(inv -> {
            dbgeng.threadsUsed.add(Thread.currentThread().getName());
            return 4242;
        });
        client.attach(4242);
        assertEquals(4242, client.processId());
        client.close();
        assertEquals(Set.of("dbgeng-engine"), dbgeng.threadsUsed);
    }

    @Test
    void attachIsNonInvasiveNoSuspendAndWaitsForTheAttach() {
        client = DbgEngClient.start(dbgeng, options);
        client.attach(4242);
        InOrder order = inOrder(dbgeng.client, dbgeng.control);
        order.verify(dbgeng.client).attachProcess(0L, 4242,
                DbgEngConstants.DEBUG_ATTACH_NONINVASIVE | DbgEngConstants.DEBUG_ATTACH_NONINVASIVE_NO_SUSPEND);
        order.verify(dbgeng.control).waitForEvent(DbgEngConstants.DEBUG_WAIT_DEFAULT, options.waitTimeoutMillis());
    }

    @Test
    void attachFailuresBecomeReadableErrors() {
        client = DbgEngClient.start(dbgeng, options);
        doThrow(new DbgEngException("IDebugClient5.AttachProcess", HResult.E_INVALIDARG))
                .when(dbgeng.client).attachProcess(anyLong(), eq(99999), anyInt());
        JhtraceException missing = assertThrows(JhtraceException.class, () -> client.attach(99999));
        assertEquals(Failure.TARGET_NOT_FOUND, missing.failure());
        assertEquals("no process 99999 to attach to (IDebugClient5.AttachProcess failed: HRESULT 0x80070057 (E_INVALIDARG = HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER)))",
                missing.getMessage());

        doThrow(new DbgEngException("IDebugClient5.AttachProcess", HResult.fromWin32(5)))
                .when(dbgeng.client).attachProcess(anyLong(), eq(4), anyInt());
        JhtraceException denied = assertThrows(JhtraceException.class, () -> client.attach(4));
        assertEquals(Failure.PERMISSION_DENIED, denied.failure());
        assertTrue(denied.getMessage().contains("0x80070005 (E_ACCESSDENIED = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED))"), denied.getMessage());

        JhtraceException bad = assertThrows(JhtraceException.class, () -> client.attach(0));
        assertEquals(Failure.BAD_INPUT, bad.failure());
    }

    @Test
    void attachFailuresFromWaitForEventAreMappedTheSameWay() {
        // a non-invasive attach is only tried in WaitForEvent: AttachProcess said S_OK
        client = DbgEngClient.start(dbgeng, options);
        doThrow(new DbgEngException("IDebugControl4.WaitForEvent", HResult.fromWin32(5)))
                .when(dbgeng.control).waitForEvent(anyInt(), anyInt());
        JhtraceException denied = assertThrows(JhtraceException.class, () -> client.attach(4));
        assertEquals(Failure.PERMISSION_DENIED, denied.failure());
        assertTrue(denied.getMessage().startsWith("access denied attaching to process 4; run elevated (SeDebugPrivilege)"), denied.getMessage());
        doThrow(new DbgEngException("IDebugControl4.WaitForEvent", HResult.E_INVALIDARG))
                .when(dbgeng.control).waitForEvent(anyInt(), anyInt());
        assertEquals(Failure.TARGET_NOT_FOUND, assertThrows(JhtraceException.class, () -> client.attach(99999)).failure());
    }

    @Test
    void teardownNeverReleasesTheClientsWhileAnInterruptIsUsingThem() throws Exception {
        client = DbgEngClient.start(dbgeng, options);
        java.util.concurrent.CountDownLatch interrupting = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
        doAnswer(inv -> {
            interrupting.countDown();
            letGo.await(10, java.util.concurrent.TimeUnit.SECONDS);
            return null;
        }).when(dbgeng.reentrantControl).setInterrupt(anyInt());
        Thread interrupter = new Thread(client::interrupt); // e.g. Ctrl-C, from the terminal's thread
        interrupter.start();
        assertTrue(interrupting.await(10, java.util.concurrent.TimeUnit.SECONDS));
        Thread closer = new Thread(client::close);
        closer.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (org.mockito.Mockito.mockingDetails(dbgeng.client).getInvocations().stream().noneMatch(i -> i.getMethod().getName().equals("endSession"))
                && System.nanoTime() < deadline) Thread.onSpinWait();
        verify(dbgeng.client).endSession(anyInt()); // teardown has begun ...
        verify(dbgeng.reentrantControl, never()).release(); // ... and waits for the interrupt to leave the client
        letGo.countDown();
        closer.join(10_000);
        interrupter.join(10_000);
        verify(dbgeng.reentrantControl).release();
        client.interrupt(); // after teardown: nothing left to call, no error
        verify(dbgeng.reentrantControl, org.mockito.Mockito.times(1)).setInterrupt(anyInt());
    }

    @Test
    void attachThatNeverCompletesIsAnError() {
        when(dbgeng.control.waitForEvent(anyInt(), anyInt())).thenReturn(false);
        client = DbgEngClient.start(dbgeng, options);
        JhtraceException e = assertThrows(JhtraceException.class, () -> client.attach(4242));
        assertTrue(e.getMessage().startsWith("dbgeng did not finish to attach to process 4242 within"), e.getMessage());
    }

    @Test
    void executeCapturesTheCommandsOutputLines() {
        client = DbgEngClient.start(dbgeng, options);
        doAnswer(inv -> {
            dbgeng.emit(DbgEngConstants.DEBUG_OUTPUT_NORMAL, "Handle = 0x00000000000001a4 - OPEN\nThread ID = 0x0000");
            dbgeng.emit(DbgEngConstants.DEBUG_OUTPUT_NORMAL, "1e34, Process ID = 0x00001c2c\n");
            dbgeng.emit(DbgEngConstants.DEBUG_OUTPUT_NORMAL, "0x00007ffb1234: ntdll!NtCreateEvent+0x14");
            return null;
        }).when(dbgeng.control).executeWide(anyInt(), eq("!htrace 0x1a4"), anyInt());
        List<String> lines = client.executeLines("!htrace 0x1a4");
        assertEquals(List.of("Handle = 0x00000000000001a4 - OPEN", "Thread ID = 0x00001e34, Process ID = 0x00001c2c",
                "0x00007ffb1234: ntdll!NtCreateEvent+0x14"), lines);
        assertEquals(lines, logged, "the listener sees the same lines");
        verify(dbgeng.control).executeWide(DbgEngConstants.DEBUG_OUTCTL_THIS_CLIENT, "!htrace 0x1a4",
                DbgEngConstants.DEBUG_EXECUTE_DEFAULT | DbgEngConstants.DEBUG_EXECUTE_NO_REPEAT);
        verify(dbgeng.client, atLeastOnce()).flushCallbacks();

        // Output outside a command goes only to the listener, not into the next command's result.
        when(dbgeng.control.getExecutionStatus()).thenAnswer(inv -> {
            dbgeng.emit(DbgEngConstants.DEBUG_OUTPUT_WARNING, "stray\n");
            return (long) DbgEngConstants.DEBUG_STATUS_BREAK;
        });
        client.onEngine(c -> c.control().getExecutionStatus());
        assertEquals("", client.execute("r"));
        assertEquals("stray", logged.get(logged.size() - 1));
        assertThrows(JhtraceException.class, () -> client.execute("  "));
    }

    @Test
    void otherThreadsAreMarshalledAndWakeTheDispatchLoop() throws Exception {
        client = DbgEngClient.start(dbgeng, options);
        verify(dbgeng.client, timeout(10_000).atLeastOnce()).dispatchCallbacks(anyInt()); // the engine thread is pumping
        String symbolPath = CompletableFuture.supplyAsync(() -> {
            when(dbgeng.symbols.getSymbolPathWide()).thenAnswer(inv -> Thread.currentThread().getName());
            return client.symbolPath();
        }).get(10, TimeUnit.SECONDS);
        assertEquals("dbgeng-engine", symbolPath, "the COM call ran on the engine thread");
        verify(dbgeng.reentrantClient, atLeastOnce()).exitDispatch(dbgeng.client);
    }

    @Test
    void interruptGoesStraightToSetInterruptWhileTheEngineIsBusy() throws Exception {
        client = DbgEngClient.start(dbgeng, options);
        CountDownLatch interrupted = new CountDownLatch(1), executing = new CountDownLatch(1);
        doAnswer(inv -> {
            interrupted.countDown();
            return null;
        }).when(dbgeng.reentrantControl).setInterrupt(DbgEngConstants.DEBUG_INTERRUPT_ACTIVE);
        doAnswer(inv -> {
            // A long-running command: only an interrupt from another thread ends it.
            executing.countDown();
            assertTrue(interrupted.await(10, TimeUnit.SECONDS), "interrupt was not delivered while busy");
            return null;
        }).when(dbgeng.control).executeWide(anyInt(), eq("!htrace -snapshot"), anyInt());
        CompletableFuture<String> busy = CompletableFuture.supplyAsync(() -> client.execute("!htrace -snapshot"));
        assertTrue(executing.await(10, TimeUnit.SECONDS), "the command never started");
        client.interrupt();
        assertEquals("", busy.get(10, TimeUnit.SECONDS));
        verify(dbgeng.control, never()).setInterrupt(anyInt());
    }

    @Test
    void closeDetachesUnregistersFlushesThenReleases() {
        client = DbgEngClient.start(dbgeng, options);
        assertEquals(2, client.callbacksHeld());
        client.close();
        InOrder order = inOrder(dbgeng.client, dbgeng.control, dbgeng.symbols, dbgeng.reentrantClient, dbgeng.reentrantControl);
        order.verify(dbgeng.client).endSession(DbgEngConstants.DEBUG_END_ACTIVE_DETACH);
        order.verify(dbgeng.client).setOutputCallbacksWide(null);
        order.verify(dbgeng.client).setEventCallbacksWide(null);
        order.verify(dbgeng.client).flushCallbacks();
        order.verify(dbgeng.reentrantControl).release();
        order.verify(dbgeng.reentrantClient).release();
        order.verify(dbgeng.symbols).release();
        order.verify(dbgeng.control).release();
        order.verify(dbgeng.client).release();
        verify(dbgeng.client, never()).endSession(DbgEngConstants.DEBUG_END_ACTIVE_TERMINATE);
        assertEquals(0, client.callbacksHeld());
        assertFalse(client.engineThread().isAlive());
        assertFalse(client.isTargetAlive());
        JhtraceException e = assertThrows(JhtraceException.class, () -> client.execute("lm"));
        assertEquals("the dbgeng client has been closed", e.getMessage());
        client.close(); // idempotent
    }

    @Test
    void failingTeardownStepsDoNotStopTheOthers() {
        doThrow(new DbgEngException("IDebugClient5.EndSession", HResult.E_UNEXPECTED)).when(dbgeng.client).endSession(anyInt());
        doThrow(new IllegalStateException("boom")).when(dbgeng.symbols).release();
        client = DbgEngClient.start(dbgeng, options);
        client.close();
        verify(dbgeng.client).flushCallbacks();
        verify(dbgeng.client).release();
        assertFalse(client.engineThread().isAlive());
    }

    @Test
    void restartWithinOneJvm() {
        DbgEngClient first = DbgEngClient.start(dbgeng, options);
        Thread firstThread = first.engineThread();
        first.close();
        MockDbgEng second = new MockDbgEng();
        client = DbgEngClient.start(second, options);
        assertNotSame(firstThread, client.engineThread());
        when(second.symbols.getSymbolPathWide()).thenReturn("srv*C:\\symbols");
        assertEquals("srv*C:\\symbols", client.symbolPath());
        assertEquals(1, dbgeng.opened);
        assertEquals(1, second.opened);
        verify(dbgeng.client).release();
        verify(second.client, never()).release();
        assertEquals(List.of("IDebugClient5", "IDebugControl4", "IDebugSymbols3", "IDebugSystemObjects", "IDebugDataSpaces2"),
                client.interfaceVersions());
    }

    @Test
    void startFailureEndsTheEngineThreadAndReportsTheCause() throws Exception {
        List<Thread> engineThreads = Collections.synchronizedList(new ArrayList<>());
        JhtraceException e = assertThrows(JhtraceException.class, () -> DbgEngClient.start(() -> {
            engineThreads.add(Thread.currentThread());
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "mock dbgeng.dll offers none of IDebugClient5");
        }, options));
        assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
        assertEquals("mock dbgeng.dll offers none of IDebugClient5", e.getMessage());
        assertEquals(1, engineThreads.size());
        engineThreads.get(0).join(10_000);
        assertFalse(engineThreads.get(0).isAlive(), "the engine thread of a failed start ends");
    }

    @Test
    void symbolPathAndDump(@TempDir Path dir) throws Exception {
        client = DbgEngClient.start(dbgeng, options.withSymbolPath("srv*C:\\symbols"));
        verify(dbgeng.symbols).setSymbolPathWide("srv*C:\\symbols");
        assertThrows(JhtraceException.class, () -> client.setSymbolPath(""));
        Path dump = Files.writeString(dir.resolve("app.dmp"), "MDMP");
        client.openDump(dump);
        verify(dbgeng.client).openDumpFileWide(dump.toAbsolutePath().toString(), 0L);
        JhtraceException missing = assertThrows(JhtraceException.class, () -> client.openDump(dir.resolve("none.dmp")));
        assertEquals(Failure.TARGET_NOT_FOUND, missing.failure());
        client.reloadSymbols(null);
        verify(dbgeng.symbols).reloadWide("");
        client.detach();
        verify(dbgeng.client).detachProcesses();
    }

    @Test
    void symbolResolverGoesThroughTheEngineThread() {
        client = DbgEngClient.start(dbgeng, options);
        when(dbgeng.symbols.getNameByOffsetWide(0x7ffb_0000_1234L)).thenAnswer(inv -> {
            dbgeng.threadsUsed.add(Thread.currentThread().getName());
            return new SymbolName("KERNELBASE!CreateEventW", 0x2a);
        });
        when(dbgeng.symbols.getLineByOffsetWide(anyLong())).thenThrow(new DbgEngException("GetLineByOffsetWide", HResult.E_FAIL));
        StackFrame f = client.symbols().resolve(StackFrame.unresolved(0x7ffb_0000_1234L));
        assertEquals("KERNELBASE!CreateEventW+0x2a", f.symbol());
        assertEquals(null, f.file());
        assertEquals(Set.of("dbgeng-engine"), dbgeng.threadsUsed);
        verify(dbgeng.symbols, never()).getModuleByOffset(anyLong(), anyInt());
        verify(dbgeng.client, never()).attachProcess(anyLong(), anyInt(), anyInt());
        verify(dbgeng.client, never()).createProcessAndAttach2Wide(anyLong(), anyString(), any(), any(), any(), anyInt(), anyInt());
    }

    @Test
    void serverSymbolPathWithoutSymsrvIsWarnedAbout(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"dbgeng.dll", "dbghelp.dll"}) Files.writeString(dir.resolve(f), "x");
        var location = new dev.jhtrace.dbgeng.engine.DbgEngLocation(dir, dev.jhtrace.dbgeng.engine.DbgEngLocation.Source.SYSTEM32, List.of());
        client = DbgEngClient.start(dbgeng, options, null, location);
        client.setSymbolPath("C:\\local-symbols");
        assertEquals(List.of(), client.warnings());
        client.setSymbolPath("srv*C:\\symbols*https://symbols.example");
        assertEquals(List.of("symbol path uses srv* but " + dir + " has no symsrv.dll: nothing will be downloaded"), client.warnings());
        Files.writeString(dir.resolve("symsrv.dll"), "x");
        client.setSymbolPath("SRV*C:\\symbols");
        assertEquals(1, client.warnings().size(), "no new warning once symsrv.dll is there");
    }

    @Test
    void readHandleCombinesBasicAndTypeAndNeverQueriesTheNameInThisJvm() {
        client = DbgEngClient.start(dbgeng, options);
        var basic = new dev.jhtrace.dbgeng.jna.DebugHandleDataBasic();
        basic.GrantedAccess = 0x1F0003;
        basic.Attributes = 0;
        basic.HandleCount = 3;
        basic.PointerCount = 0xFFFFFFFF; // ULONG: must read as 4294967295, not -1
        when(dbgeng.dataSpaces.readHandleDataBasic(0x1a4)).thenReturn(basic);
        when(dbgeng.dataSpaces.readHandleDataString(0x1a4, DbgEngConstants.DEBUG_HANDLE_DATA_TYPE_TYPE_NAME_WIDE)).thenReturn("Event");
        when(dbgeng.dataSpaces.readHandleDataString(0x1a4, DbgEngConstants.DEBUG_HANDLE_DATA_TYPE_OBJECT_NAME_WIDE)).thenReturn("\\Device\\NamedPipe\\sync");
        var entry = client.readHandle(0x1a4);
        assertEquals("Event", entry.type());
        assertEquals(null, entry.name(), "the name query can hang on a synchronous pipe: it is never made in the JVM");
        for (int nameType : new int[]{DbgEngConstants.DEBUG_HANDLE_DATA_TYPE_OBJECT_NAME, DbgEngConstants.DEBUG_HANDLE_DATA_TYPE_OBJECT_NAME_WIDE}) {
            org.mockito.Mockito.verify(dbgeng.dataSpaces, org.mockito.Mockito.never()).readHandleDataString(org.mockito.ArgumentMatchers.anyLong(), org.mockito.ArgumentMatchers.eq(nameType));
        }
        assertEquals(0x1F0003L, entry.grantedAccess());
        assertEquals(3L, entry.handleCount());
        assertEquals(4294967295L, entry.pointerCount());
        when(dbgeng.dataSpaces.readHandleDataBasic(0x1a8)).thenThrow(new DbgEngException("IDebugDataSpaces2.ReadHandleData", HResult.E_INVALIDARG));
        DbgEngException e = assertThrows(DbgEngException.class, () -> client.readHandle(0x1a8));
        assertTrue(e.getMessage().contains("0x80070057"), e.getMessage());
    }
}
