package dev.jhtrace.dbgeng.jna.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.DbgEngConstants;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.dbgeng.jna.WideStrings;
import dev.jhtrace.dbgeng.jna.callbacks.IDebugEventCallbacksWideSlots;
import dev.jhtrace.dbgeng.jna.callbacks.IDebugOutputCallbacksWideSlots;
import dev.jhtrace.dbgeng.jna.client.DebugClient;
import dev.jhtrace.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The Java-built callback objects, called the way dbgeng calls them: through their native vtable pointer.
 */
class CallbacksTest {

    private static ComObject asNative(JavaComObject o) {
        return ComObject.adopt(o.pointer(), o.iface());
    }

    @Test
    void outputFragmentsBecomeLinesPerMask() {
        List<String> lines = new ArrayList<>();
        OutputLineBuffer buffer = new OutputLineBuffer((mask, line) -> lines.add(mask + ":" + line));
        OutputCallbacksWide cb = new OutputCallbacksWide(buffer);
        ComObject com = asNative(cb);
        int normal = DbgEngConstants.DEBUG_OUTPUT_NORMAL;
        int error = DbgEngConstants.DEBUG_OUTPUT_ERROR;
        assertEquals(HResult.S_OK, com.invoke(IDebugOutputCallbacksWideSlots.Output, normal, WideStrings.toNative("Handle 0x1a4 - OPEN\nThr")));
        com.invoke(IDebugOutputCallbacksWideSlots.Output, error, WideStrings.toNative("*** ERROR: Symbol file could not be found\r\n"));
        com.invoke(IDebugOutputCallbacksWideSlots.Output, normal, WideStrings.toNative("ead ID = 0x00001e34, Process ID = 0x0000\u00e41c\n"));
        com.invoke(IDebugOutputCallbacksWideSlots.Output, normal, WideStrings.toNative("0:000> "));
        buffer.flush();
        assertEquals(List.of("1:Handle 0x1a4 - OPEN", "2:*** ERROR: Symbol file could not be found",
                "1:Thread ID = 0x00001e34, Process ID = 0x0000\u00e41c", "1:0:000> "), lines);
    }

    @Test
    void queryInterfaceAnswersIUnknownAndOwnIidOnly() {
        OutputCallbacksWide cb = new OutputCallbacksWide((m, t) -> { });
        ComObject com = asNative(cb);
        assertEquals(1, cb.refCount());
        PointerByReference out = new PointerByReference();
        assertEquals(HResult.S_OK, com.invoke(dev.jhtrace.dbgeng.jna.IUnknownSlots.QueryInterface,
                DbgEngInterface.IDebugOutputCallbacksWide.iid().getPointer(), out));
        assertEquals(cb.pointer(), out.getValue());
        assertEquals(HResult.S_OK, com.invoke(dev.jhtrace.dbgeng.jna.IUnknownSlots.QueryInterface,
                new com.sun.jna.platform.win32.Guid.IID("{" + DbgEngInterface.IID_IUNKNOWN + "}").getPointer(), out));
        assertEquals(3, cb.refCount());
        assertEquals(HResult.E_NOINTERFACE, com.invoke(dev.jhtrace.dbgeng.jna.IUnknownSlots.QueryInterface,
                DbgEngInterface.IDebugEventCallbacksWide.iid().getPointer(), out));
        assertNull(out.getValue());
        assertEquals(2, com.invoke(dev.jhtrace.dbgeng.jna.IUnknownSlots.Release));
        assertEquals(3, com.invoke(dev.jhtrace.dbgeng.jna.IUnknownSlots.AddRef));
    }

    @Test
    void throwingSinkNeverReachesNativeCode() {
        OutputCallbacksWide cb = new OutputCallbacksWide((m, t) -> {
            throw new OutOfMemoryError("simulated");
        });
        int hr = asNative(cb).invoke(IDebugOutputCallbacksWideSlots.Output, 1, WideStrings.toNative("x"));
        assertEquals(HResult.E_UNEXPECTED, hr);
        assertEquals(1, cb.failures());
        assertTrue(cb.lastFailure() instanceof OutOfMemoryError);
    }

    @Test
    void eventCallbacksForwardArgumentsAndContainFailures() {
        List<String> seen = new ArrayList<>();
        DebugEventListener listener = new DebugEventListener() {
            @Override
            public int interestMask() {
                return DbgEngConstants.DEBUG_EVENT_EXIT_PROCESS | DbgEngConstants.DEBUG_EVENT_LOAD_MODULE;
            }

            @Override
            public int loadModule(long base, int size, String module, String image) {
                seen.add(module + "@" + Long.toHexString(base) + "/" + size + " " + image);
                return DbgEngConstants.DEBUG_STATUS_GO;
            }

            @Override
            public int exitProcess(int exitCode) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void sessionStatus(int status) {
                seen.add("status " + status);
            }
        };
        EventCallbacksWide cb = new EventCallbacksWide(listener);
        ComObject com = asNative(cb);
        Memory mask = new Memory(4);
        assertEquals(HResult.S_OK, com.invoke(IDebugEventCallbacksWideSlots.GetInterestMask, mask));
        assertEquals(0x60, mask.getInt(0));
        int status = com.invoke(IDebugEventCallbacksWideSlots.LoadModule, 0L, 0x7ffb_0000_0000L, 0x1f0000,
                WideStrings.toNative("ntdll"), WideStrings.toNative("C:\\Windows\\System32\\ntdll.dll"), 0, 0);
        assertEquals(DbgEngConstants.DEBUG_STATUS_GO, status);
        assertEquals(List.of("ntdll@7ffb00000000/2031616 C:\\Windows\\System32\\ntdll.dll"), seen);
        assertEquals(DbgEngConstants.DEBUG_STATUS_NO_CHANGE, com.invoke(IDebugEventCallbacksWideSlots.ExitProcess, 0));
        assertEquals(1, cb.failures());
        assertEquals(HResult.S_OK, com.invoke(IDebugEventCallbacksWideSlots.SessionStatus, 2));
        assertEquals("status 2", seen.get(1));
        // Methods the listener did not override answer NO_CHANGE.
        assertEquals(DbgEngConstants.DEBUG_STATUS_NO_CHANGE, com.invoke(IDebugEventCallbacksWideSlots.CreateThread, 1L, 2L, 3L));
    }

    @Test
    void registryKeepsCallbacksUntilUnsetAndFlushed() {
        DebugClient client = mock(DebugClient.class);
        CallbackRegistry registry = new CallbackRegistry();
        OutputCallbacksWide first = new OutputCallbacksWide((m, t) -> { });
        OutputCallbacksWide second = new OutputCallbacksWide((m, t) -> { });
        EventCallbacksWide events = new EventCallbacksWide(() -> 0);
        registry.installOutput(client, first);
        registry.installOutput(client, second);
        registry.installEvents(client, events);
        assertTrue(registry.keeps(first), "a replaced callback may still have queued calls");
        assertEquals(3, registry.size());
        List<Boolean> keptDuringFlush = new ArrayList<>();
        doAnswer(inv -> {
            keptDuringFlush.add(registry.keeps(second) && registry.keeps(events));
            return null;
        }).when(client).flushCallbacks();
        registry.uninstallAll(client);
        InOrder order = inOrder(client);
        order.verify(client).setOutputCallbacksWide(first.pointer());
        order.verify(client).setOutputCallbacksWide(second.pointer());
        order.verify(client).setEventCallbacksWide(events.pointer());
        order.verify(client).setOutputCallbacksWide(null);
        order.verify(client).setEventCallbacksWide(null);
        order.verify(client).flushCallbacks();
        assertEquals(List.of(true), keptDuringFlush);
        assertEquals(0, registry.size());
    }

    @Test
    void registeredCallbackSurvivesGarbageCollection() throws Exception {
        CallbackRegistry registry = new CallbackRegistry();
        List<String> got = new ArrayList<>();
        Pointer nativeObject = install(registry, got);
        // an unregistered callback object, made the same way, shows when a collection has really run
        java.lang.ref.WeakReference<OutputCallbacksWide> unregistered =
                new java.lang.ref.WeakReference<>(new OutputCallbacksWide(new OutputLineBuffer((m, line) -> { })));
        Await.until("the unregistered callback object is collected", Duration.ofSeconds(30), () -> {
            System.gc();
            return unregistered.get() == null;
        });
        ComObject com = ComObject.adopt(nativeObject, DbgEngInterface.IDebugOutputCallbacksWide);
        assertEquals(HResult.S_OK, com.invoke(IDebugOutputCallbacksWideSlots.Output, 1, WideStrings.toNative("still here\n")));
        assertEquals(List.of("still here"), got);
    }

    /** Only the registry references the callback object once this returns. */
    private static Pointer install(CallbackRegistry registry, List<String> got) {
        OutputCallbacksWide cb = new OutputCallbacksWide(new OutputLineBuffer((m, line) -> got.add(line)));
        registry.installOutput(mock(DebugClient.class), cb);
        return new Pointer(Pointer.nativeValue(cb.pointer()));
    }

    @Test
    void guidStringIsLowerCaseDefineGuidForm() {
        assertEquals(DbgEngInterface.IDebugClient5.iidString(), JavaComObject.guidString(DbgEngInterface.IDebugClient5.iid()));
        assertSame(DbgEngInterface.IDebugEventCallbacksWide, new EventCallbacksWide(() -> 0).iface());
    }
}
