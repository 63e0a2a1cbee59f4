package dev.jhtrace.dbgeng.api;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.sun.jna.Pointer;
import dev.jhtrace.dbgeng.engine.DebugInterfaces;
import dev.jhtrace.dbgeng.engine.EngineBackend;
import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.WideStrings;
import dev.jhtrace.dbgeng.jna.callbacks.IDebugOutputCallbacksWideSlots;
import dev.jhtrace.dbgeng.jna.client.DebugClient;
import dev.jhtrace.dbgeng.jna.control.DebugControl;
import dev.jhtrace.dbgeng.jna.dataspaces.DebugDataSpaces;
import dev.jhtrace.dbgeng.jna.symbols.DebugSymbols;
import dev.jhtrace.dbgeng.jna.sysobj.DebugSystemObjects;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Mocked dbgeng COM interfaces with dbgeng's threading behaviour: DispatchCallbacks blocks until its
 * timeout or an ExitDispatch; every call records the thread it ran on. Output registered through
 * SetOutputCallbacksWide is delivered by calling the registered native object, as dbgeng would.
 */
final class MockDbgEng implements EngineBackend {
    final DebugClient client = mock(DebugClient.class);
    final DebugControl control = mock(DebugControl.class);
    final DebugSymbols symbols = mock(DebugSymbols.class);
    final DebugSystemObjects systemObjects = mock(DebugSystemObjects.class);
    final DebugDataSpaces dataSpaces = mock(DebugDataSpaces.class);
    final DebugClient reentrantClient = mock(DebugClient.class);
    final DebugControl reentrantControl = mock(DebugControl.class);
    final Set<String> threadsUsed = ConcurrentHashMap.newKeySet();
    final AtomicReference<Pointer> outputCallbacks = new AtomicReference<>();
    private final Semaphore exitDispatch = new Semaphore(0);
    int opened;

    MockDbgEng() {
        doAnswer(inv -> {
            threadsUsed.add(Thread.currentThread().getName());
            int timeout = inv.getArgument(0);
            return exitDispatch.tryAcquire(timeout, TimeUnit.MILLISECONDS);
        }).when(client).dispatchCallbacks(anyInt());
        doAnswer(inv -> {
            exitDispatch.release();
            return null;
        }).when(reentrantClient).exitDispatch(any());
        doAnswer(inv -> {
            threadsUsed.add(Thread.currentThread().getName());
            outputCallbacks.set(inv.getArgument(0));
            return null;
        }).when(client).setOutputCallbacksWide(any());
        when(control.waitForEvent(anyInt(), anyInt())).thenAnswer(inv -> {
            threadsUsed.add(Thread.currentThread().getName());
            return true;
        });
    }

    @Override
    public DebugInterfaces open() {
        opened++;
        threadsUsed.add(Thread.currentThread().getName());
        return new DebugInterfaces(client, control, symbols, systemObjects, dataSpaces, reentrantClient, reentrantControl,
                List.of("IDebugClient5", "IDebugControl4", "IDebugSymbols3", "IDebugSystemObjects", "IDebugDataSpaces2"),
                "mock dbgeng.dll");
    }

    /** What dbgeng does during Execute: call the registered output callbacks, in fragments. */
    void emit(int mask, String text) {
        ComObject cb = ComObject.adopt(outputCallbacks.get(), DbgEngInterface.IDebugOutputCallbacksWide);
        cb.invoke(IDebugOutputCallbacksWideSlots.Output, mask, WideStrings.toNative(text));
    }
}
