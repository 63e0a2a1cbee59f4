package dev.jhtrace.dbgeng.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import dev.jhtrace.dbgeng.jna.client.DebugClient;
import dev.jhtrace.dbgeng.jna.client.WrapDebugClient;
import dev.jhtrace.dbgeng.jna.control.WrapDebugControl;
import dev.jhtrace.dbgeng.jna.dataspaces.WrapDebugDataSpaces;
import dev.jhtrace.dbgeng.jna.symbols.WrapDebugSymbols;
import dev.jhtrace.dbgeng.jna.sysobj.WrapDebugSystemObjects;
import dev.jhtrace.spi.Failure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The wrappers make real native calls through a vtable built in native memory: each test checks the slot
 * reached (looked up by method name in dbgeng-vtables.tsv, never hard-coded) and the arguments passed.
 */
class WrapperCallsTest {

    private static int slot(String iface, String method) {
        return ReferenceTables.slot(iface, method);
    }

    private static String wide(FakeComObject.Call c, int i) {
        return c.wideArg(i);
    }

    @Test
    void clientAttachCreateOpenDetachEnd() {
        FakeComObject fake = FakeComObject.of("IDebugClient5");
        WrapDebugClient client = new WrapDebugClient(fake.adopt(DbgEngInterface.IDebugClient5));

        int flags = DbgEngConstants.DEBUG_ATTACH_NONINVASIVE | DbgEngConstants.DEBUG_ATTACH_NONINVASIVE_NO_SUSPEND;
        client.attachProcess(0, 4242, flags);
        FakeComObject.Call c = fake.single();
        assertEquals(slot("IDebugClient5", "AttachProcess"), c.slot());
        assertEquals(fake.pointer(), c.pointerArg(0));
        assertEquals(0L, c.args()[1]);
        assertEquals(4242, c.intArg(2));
        assertEquals(5, c.intArg(3));

        fake.decodeWide(slot("IDebugClient5", "OpenDumpFileWide"), 1);
        fake.decodeWide(slot("IDebugClient5", "CreateProcessAndAttach2Wide"), 2, 5, 6);
        fake.clear();
        client.openDumpFileWide("C:\\dumps\\app.dmp", 0);
        c = fake.single();
        assertEquals(slot("IDebugClient5", "OpenDumpFileWide"), c.slot());
        assertEquals("C:\\dumps\\app.dmp", wide(c, 1));

        fake.clear();
        int[] createFlags = new int[1];
        fake.on(slot("IDebugClient5", "CreateProcessAndAttach2Wide"), call -> {
            createFlags[0] = call.pointerArg(3).getInt(0);
            return HResult.S_OK;
        });
        DebugCreateProcessOptions options = new DebugCreateProcessOptions();
        options.CreateFlags = DbgEngConstants.DEBUG_ONLY_THIS_PROCESS;
        client.createProcessAndAttach2Wide(0, "app.exe --leak", options, "C:\\work", null, 0, 0);
        assertThrows(IllegalArgumentException.class,
                () -> client.createProcessAndAttach2Wide(0, "a.exe", options, null, java.util.List.of("novalue"), 0, 0));
        c = fake.single();
        assertEquals(slot("IDebugClient5", "CreateProcessAndAttach2Wide"), c.slot());
        assertEquals("app.exe --leak", wide(c, 2));
        assertEquals(DbgEngConstants.DEBUG_ONLY_THIS_PROCESS, createFlags[0], "options buffer as seen during the call");
        assertEquals(16, c.intArg(4));
        assertEquals("C:\\work", wide(c, 5));
        assertNull(c.pointerArg(6));
        assertNull(wide(c, 6));

        // An environment block: entries NUL-separated, ending with a double NUL.
        StringBuilder seen = new StringBuilder();
        fake.on(slot("IDebugClient5", "CreateProcessAndAttach2Wide"), call -> {
            Pointer p = call.pointerArg(6);
            for (int i = 0; i < 64; i++) {
                char ch = (char) p.getShort(2L * i);
                seen.append(ch == 0 ? '|' : ch);
                if (i > 0 && ch == 0 && p.getShort(2L * (i - 1)) == 0) break;
            }
            return HResult.S_OK;
        });
        client.createProcessAndAttach2Wide(0, "app.exe", options, null, java.util.List.of("A=1", "PATH=C:\\x"), 0, 0);
        assertEquals("A=1|PATH=C:\\x||", seen.toString());

        fake.clear();
        client.detachProcesses();
        client.endSession(DbgEngConstants.DEBUG_END_ACTIVE_DETACH);
        client.flushCallbacks();
        assertEquals(slot("IDebugClient5", "DetachProcesses"), fake.calls().get(0).slot());
        assertEquals(slot("IDebugClient5", "EndSession"), fake.calls().get(1).slot());
        assertEquals(DbgEngConstants.DEBUG_END_ACTIVE_DETACH, fake.calls().get(1).intArg(1));
        assertEquals(slot("IDebugClient5", "FlushCallbacks"), fake.calls().get(2).slot());
    }

    @Test
    void clientCallbacksAndDispatch() {
        FakeComObject fake = FakeComObject.of("IDebugClient5");
        WrapDebugClient client = new WrapDebugClient(fake.adopt(DbgEngInterface.IDebugClient5));
        Pointer cb = new Pointer(0x1234_5678L);
        client.setOutputCallbacksWide(cb);
        client.setEventCallbacksWide(null);
        assertEquals(slot("IDebugClient5", "SetOutputCallbacksWide"), fake.calls().get(0).slot());
        assertEquals(cb, fake.calls().get(0).pointerArg(1));
        assertEquals(slot("IDebugClient5", "SetEventCallbacksWide"), fake.calls().get(1).slot());
        assertNull(fake.calls().get(1).pointerArg(1));

        fake.on(slot("IDebugClient5", "GetOutputCallbacksWide"), call -> {
            call.pointerArg(1).setPointer(0, cb);
            return HResult.S_OK;
        });
        assertEquals(cb, client.getOutputCallbacksWide());

        int dispatch = slot("IDebugClient5", "DispatchCallbacks");
        fake.on(dispatch, call -> call.intArg(1) == 100 ? HResult.S_FALSE : HResult.S_OK);
        assertFalse(client.dispatchCallbacks(100), "S_FALSE is the timeout");
        assertTrue(client.dispatchCallbacks(5), "S_OK is ExitDispatch");

        fake.on(slot("IDebugClient5", "GetOutputMask"), call -> {
            call.pointerArg(1).setInt(0, 0x3F);
            return HResult.S_OK;
        });
        assertEquals(0x3F, client.getOutputMask());
    }

    @Test
    void olderClientRefusesWideMethodsNamingTheVersion() {
        FakeComObject fake = FakeComObject.of("IDebugClient3");
        WrapDebugClient client = new WrapDebugClient(fake.adopt(DbgEngInterface.IDebugClient3));
        DbgEngException e = assertThrows(DbgEngException.class, () -> client.setOutputCallbacksWide(null));
        assertTrue(e.getMessage().contains("needs IDebugClient5"), e.getMessage());
        assertTrue(e.getMessage().contains("only offers IDebugClient3"), e.getMessage());
        assertTrue(fake.calls().isEmpty(), "nothing reached the vtable");
        // A method the old version has still goes through, at the same slot as in IDebugClient.
        client.detachProcesses();
        assertEquals(slot("IDebugClient", "DetachProcesses"), fake.single().slot());
    }

    @Test
    void failingHresultBecomesReadableException() {
        FakeComObject fake = FakeComObject.of("IDebugClient5");
        fake.on(slot("IDebugClient5", "AttachProcess"), call -> HResult.E_ACCESSDENIED);
        WrapDebugClient client = new WrapDebugClient(fake.adopt(DbgEngInterface.IDebugClient5));
        DbgEngException e = assertThrows(DbgEngException.class, () -> client.attachProcess(0, 4, 0));
        assertEquals("IDebugClient5.AttachProcess failed: HRESULT 0x80070005 (E_ACCESSDENIED = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED))",
                e.getMessage());
        assertEquals(Failure.PERMISSION_DENIED, e.failure());
    }

    @Test
    void createClientUsesTheNewPointerAndReleasesTheBaseReference() {
        FakeComObject owner = FakeComObject.of("IDebugClient5");
        FakeComObject base = FakeComObject.of("IDebugClient");
        FakeComObject created = FakeComObject.of("IDebugClient5");
        owner.on(slot("IDebugClient5", "CreateClient"), call -> {
            call.pointerArg(1).setPointer(0, base.pointer());
            return HResult.S_OK;
        });
        base.on(0, call -> {
            call.pointerArg(2).setPointer(0, created.pointer());
            return HResult.S_OK;
        });
        WrapDebugClient client = new WrapDebugClient(owner.adopt(DbgEngInterface.IDebugClient5));
        DebugClient reentrant = client.createClient();
        assertEquals(created.pointer(), reentrant.com().pointer(), "the new client, not a QueryInterface of the old one");
        assertEquals(DbgEngInterface.IDebugClient5, reentrant.version());
        assertEquals(2, base.calls().size());
        assertEquals(0, base.calls().get(0).slot());
        assertEquals(new com.sun.jna.platform.win32.Guid.GUID("{" + DbgEngInterface.IDebugClient5.iidString() + "}"),
                new com.sun.jna.platform.win32.Guid.GUID(base.calls().get(0).pointerArg(1)));
        assertEquals(2, base.calls().get(1).slot(), "base reference released");

        // ExitDispatch through the reentrant client names the engine's client.
        reentrant.exitDispatch(client);
        FakeComObject.Call exit = created.single();
        assertEquals(slot("IDebugClient5", "ExitDispatch"), exit.slot());
        assertEquals(owner.pointer(), exit.pointerArg(1));
    }

    @Test
    void ownerThreadRuleAndReentrantExceptions() throws Exception {
        FakeComObject fake = FakeComObject.of("IDebugControl4");
        WrapDebugControl control = new WrapDebugControl(fake.adopt(DbgEngInterface.IDebugControl4));
        CompletableFuture<Throwable> wrong = CompletableFuture.supplyAsync(() -> {
            try {
                control.executeWide(0, "lm", 0);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(wrong.get() instanceof WrongThreadException, String.valueOf(wrong.get()));
        assertTrue(fake.calls().isEmpty());
        CompletableFuture.runAsync(() -> control.setInterrupt(DbgEngConstants.DEBUG_INTERRUPT_ACTIVE)).get();
        assertEquals(slot("IDebugControl4", "SetInterrupt"), fake.single().slot());
    }

    @Test
    void releaseOnlyOnceAndNotAfter() throws ExecutionException, InterruptedException {
        FakeComObject fake = FakeComObject.of("IDebugSystemObjects");
        WrapDebugSystemObjects sys = new WrapDebugSystemObjects(fake.adopt(DbgEngInterface.IDebugSystemObjects));
        Throwable offThread = CompletableFuture.supplyAsync(() -> {
            try {
                sys.release();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }).get();
        assertTrue(offThread instanceof WrongThreadException, "release off the owning thread is refused");
        sys.release();
        sys.release();
        assertEquals(1, fake.calls().size());
        assertEquals(2, fake.single().slot());
        assertThrows(IllegalStateException.class, sys::getNumberThreads);
    }

    @Test
    void controlMethods() {
        FakeComObject fake = FakeComObject.of("IDebugControl4");
        WrapDebugControl control = new WrapDebugControl(fake.adopt(DbgEngInterface.IDebugControl4));
        fake.decodeWide(slot("IDebugControl4", "ExecuteWide"), 2);
        control.executeWide(DbgEngConstants.DEBUG_OUTCTL_THIS_CLIENT, "!htrace -snapshot", DbgEngConstants.DEBUG_EXECUTE_NOT_LOGGED);
        FakeComObject.Call c = fake.single();
        assertEquals(slot("IDebugControl4", "ExecuteWide"), c.slot());
        assertEquals(0, c.intArg(1));
        assertEquals("!htrace -snapshot", wide(c, 2));
        assertEquals(2, c.intArg(3));

        fake.on(slot("IDebugControl4", "WaitForEvent"), call -> call.intArg(2) == 0 ? HResult.S_FALSE : HResult.S_OK);
        assertFalse(control.waitForEvent(0, 0));
        assertTrue(control.waitForEvent(0, DbgEngConstants.INFINITE));

        fake.on(slot("IDebugControl4", "GetExecutionStatus"), call -> {
            call.pointerArg(1).setInt(0, DbgEngConstants.DEBUG_STATUS_NO_DEBUGGEE);
            return HResult.S_OK;
        });
        assertEquals(DbgEngConstants.DEBUG_STATUS_NO_DEBUGGEE, control.getExecutionStatus());
        fake.on(slot("IDebugControl4", "IsPointer64Bit"), call -> HResult.S_FALSE);
        assertFalse(control.isPointer64Bit());
    }

    @Test
    void symbolsMethodsReadWideStringsWithRetry() {
        FakeComObject fake = FakeComObject.of("IDebugSymbols3");
        WrapDebugSymbols symbols = new WrapDebugSymbols(fake.adopt(DbgEngInterface.IDebugSymbols3));
        String longPath = "srv*C:\\symbols*" + "x".repeat(3000);
        fake.on(slot("IDebugSymbols3", "GetSymbolPathWide"), call -> {
            int chars = call.intArg(2);
            call.pointerArg(3).setInt(0, longPath.length() + 1);
            if (chars < longPath.length() + 1) return HResult.S_FALSE;
            byte[] b = (longPath + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
            call.pointerArg(1).write(0, b, 0, b.length);
            return HResult.S_OK;
        });
        assertEquals(longPath, symbols.getSymbolPathWide());
        assertEquals(2, fake.calls().size(), "too-small buffer, then the size dbgeng asked for");

        fake.decodeWide(slot("IDebugSymbols3", "SetSymbolPathWide"), 1);
        fake.clear();
        symbols.setSymbolPathWide("srv*C:\\sym");
        assertEquals(slot("IDebugSymbols3", "SetSymbolPathWide"), fake.single().slot());
        assertEquals("srv*C:\\sym", wide(fake.single(), 1));

        fake.clear();
        symbols.reloadWide("/f ntdll.dll");
        assertEquals(slot("IDebugSymbols3", "ReloadWide"), fake.single().slot());

        fake.on(slot("IDebugSymbols3", "GetNameByOffsetWide"), call -> {
            assertEquals(0x7ffb_1234_5678L, call.args()[1]);
            byte[] b = "ntdll!NtCreateFile\0".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
            call.pointerArg(2).write(0, b, 0, b.length);
            call.pointerArg(4).setInt(0, b.length / 2);
            call.pointerArg(5).setLong(0, 0x14);
            return HResult.S_OK;
        });
        assertEquals(new SymbolName("ntdll!NtCreateFile", 0x14), symbols.getNameByOffsetWide(0x7ffb_1234_5678L));

        fake.on(slot("IDebugSymbols3", "GetLineByOffsetWide"), call -> {
            call.pointerArg(2).setInt(0, 417);
            byte[] b = "c:\\src\\server.cpp\0".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
            call.pointerArg(3).write(0, b, 0, b.length);
            call.pointerArg(5).setInt(0, b.length / 2);
            call.pointerArg(6).setLong(0, 3);
            return HResult.S_OK;
        });
        assertEquals(new SourceLine("c:\\src\\server.cpp", 417, 3), symbols.getLineByOffsetWide(0x1000));

        fake.on(slot("IDebugSymbols3", "GetModuleByOffset"), call -> {
            call.pointerArg(3).setInt(0, 7);
            call.pointerArg(4).setLong(0, 0x7ffb_0000_0000L);
            return HResult.S_OK;
        });
        assertEquals(new ModuleLocation(7, 0x7ffb_0000_0000L), symbols.getModuleByOffset(0x7ffb_0000_1000L, 0));

        fake.on(slot("IDebugSymbols3", "GetModuleNameStringWide"), call -> {
            assertEquals(DbgEngConstants.DEBUG_MODNAME_MODULE, call.intArg(1));
            assertEquals(7, call.intArg(2));
            byte[] b = "ntdll\0".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
            call.pointerArg(4).write(0, b, 0, b.length);
            call.pointerArg(6).setInt(0, 6);
            return HResult.S_OK;
        });
        assertEquals("ntdll", symbols.getModuleNameStringWide(DbgEngConstants.DEBUG_MODNAME_MODULE, 7, 0x7ffb_0000_0000L));

        fake.on(slot("IDebugSymbols3", "GetNameByOffsetWide"), call -> HResult.E_FAIL);
        DbgEngException e = assertThrows(DbgEngException.class, () -> symbols.getNameByOffsetWide(1));
        assertTrue(e.getMessage().startsWith("IDebugSymbols3.GetNameByOffsetWide failed: HRESULT 0x80004005 (E_FAIL)"), e.getMessage());
    }

    @Test
    void systemObjectsAndReadHandleData() {
        FakeComObject sysFake = FakeComObject.of("IDebugSystemObjects");
        WrapDebugSystemObjects sys = new WrapDebugSystemObjects(sysFake.adopt(DbgEngInterface.IDebugSystemObjects));
        sysFake.on(slot("IDebugSystemObjects", "GetCurrentProcessSystemId"), call -> {
            call.pointerArg(1).setInt(0, 4242);
            return HResult.S_OK;
        });
        sysFake.on(slot("IDebugSystemObjects", "GetCurrentThreadSystemId"), call -> {
            call.pointerArg(1).setInt(0, 77);
            return HResult.S_OK;
        });
        sysFake.on(slot("IDebugSystemObjects", "GetCurrentProcessHandle"), call -> {
            call.pointerArg(1).setLong(0, 0x1_0000_02A4L);
            return HResult.S_OK;
        });
        sysFake.on(slot("IDebugSystemObjects", "GetNumberThreads"), call -> {
            call.pointerArg(1).setInt(0, 12);
            return HResult.S_OK;
        });
        assertEquals(4242, sys.getCurrentProcessSystemId());
        assertEquals(77, sys.getCurrentThreadSystemId());
        assertEquals(0x1_0000_02A4L, sys.getCurrentProcessHandle());
        assertEquals(12, sys.getNumberThreads());

        FakeComObject dsFake = FakeComObject.of("IDebugDataSpaces2");
        WrapDebugDataSpaces ds = new WrapDebugDataSpaces(dsFake.adopt(DbgEngInterface.IDebugDataSpaces2));
        dsFake.on(slot("IDebugDataSpaces2", "ReadHandleData"), call -> {
            assertEquals(0x1a4L, call.args()[1]);
            if (call.intArg(2) == DbgEngConstants.DEBUG_HANDLE_DATA_TYPE_BASIC) {
                assertEquals(24, call.intArg(4));
                Pointer p = call.pointerArg(3);
                p.setInt(12, 0x1F0003); // GrantedAccess
                p.setInt(16, 2); // HandleCount
                p.setInt(20, 65537); // PointerCount
            } else {
                byte[] b = "Event\0".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
                call.pointerArg(3).write(0, b, 0, b.length);
            }
            return HResult.S_OK;
        });
        DebugHandleDataBasic basic = ds.readHandleDataBasic(0x1a4);
        assertEquals(0x1F0003, basic.GrantedAccess);
        assertEquals(2, basic.HandleCount);
        assertEquals(65537, basic.PointerCount);
        assertEquals("Event", ds.readHandleDataString(0x1a4, DbgEngConstants.DEBUG_HANDLE_DATA_TYPE_TYPE_NAME_WIDE));

        FakeComObject oldFake = FakeComObject.of("IDebugDataSpaces");
        WrapDebugDataSpaces old = new WrapDebugDataSpaces(oldFake.adopt(DbgEngInterface.IDebugDataSpaces));
        assertThrows(DbgEngException.class, () -> old.readHandleDataBasic(4));
    }
}
