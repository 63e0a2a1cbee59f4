package dev.jhtrace.dbgeng.api;

import dev.jhtrace.dbgeng.jna.DbgEngConstants;
import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.dbgeng.jna.SymbolName;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** One dbgeng engine for every target of the JVM: one client, the right process made current before each call. */
class DbgEngHostTest {
    private static final long LEAK = 0x7FF6_1000_2345L;
    private final MockDbgEng dbgeng = new MockDbgEng();
    private final DbgEngClientOptions options = DbgEngClientOptions.defaults();
    private final List<DbgEngClient> started = new ArrayList<>();
    private final DbgEngHost host = new DbgEngHost(() -> {
        DbgEngClient s = DbgEngClient.start(dbgeng, options);
        started.add(s);
        return s;
    });
    private volatile int current; // the engine's current process id, as SetCurrentProcessId leaves it

    DbgEngHostTest() {
        when(dbgeng.systemObjects.getProcessIdBySystemId(100)).thenReturn(0);
        when(dbgeng.systemObjects.getProcessIdBySystemId(200)).thenReturn(1);
        doAnswer(inv -> {
            current = inv.getArgument(0);
            return null;
        }).when(dbgeng.systemObjects).setCurrentProcessId(anyInt());
        // each process has the symbol at LEAK in its own module: the answer depends on the current process
        when(dbgeng.symbols.getNameByOffsetWide(LEAK)).thenAnswer(inv -> new SymbolName(current == 0 ? "server!Leak" : "client!Leak", 0));
        when(dbgeng.symbols.getLineByOffsetWide(anyLong())).thenThrow(new DbgEngException("GetLineByOffsetWide", HResult.E_FAIL));
    }

    @Test
    void everyTargetSharesOneEngineAndResolvesInItsOwnProcess() {
        DbgEngHost.Attachment server = host.attach(100, null);
        DbgEngHost.Attachment client = host.attach(200, null);
        assertEquals(1, dbgeng.opened, "one DebugCreate, one engine thread for both");
        assertEquals("client", client.resolve(StackFrame.unresolved(LEAK)).module());
        assertEquals("server", server.resolve(StackFrame.unresolved(LEAK)).module(), "switched back before the look-up");
        assertEquals("client", client.resolve(StackFrame.unresolved(LEAK)).module());
        server.close();
        client.close();
    }

    @Test
    void manyAddressesAreResolvedWithTheProcessMadeCurrentOnce() {
        DbgEngHost.Attachment server = host.attach(100, null);
        DbgEngHost.Attachment client = host.attach(200, null);
        long other = LEAK + 0x10;
        when(dbgeng.symbols.getNameByOffsetWide(other)).thenReturn(new SymbolName("server!Other", 0));
        org.mockito.Mockito.clearInvocations(dbgeng.systemObjects);
        java.util.Map<Long, StackFrame> frames = server.resolveAll(List.of(LEAK, other));
        assertEquals("server!Leak", frames.get(LEAK).symbol());
        assertEquals("server!Other", frames.get(other).symbol());
        verify(dbgeng.systemObjects, times(1)).setCurrentProcessId(anyInt());
        client.close();
        server.close();
        assertEquals(java.util.Map.of(), server.resolveAll(List.of(LEAK)), "a closed attachment resolves nothing");
    }

    @Test
    void closingOneAttachmentDetachesOnlyItsProcessAndTheLastClosesTheClient() {
        DbgEngHost.Attachment server = host.attach(100, null);
        DbgEngHost.Attachment client = host.attach(200, null);
        server.close();
        InOrder order = inOrder(dbgeng.systemObjects, dbgeng.client);
        order.verify(dbgeng.systemObjects).setCurrentProcessId(0);
        order.verify(dbgeng.client).detachCurrentProcess();
        verify(dbgeng.client, never()).endSession(anyInt());
        assertEquals(Set.of(200), host.attached());
        assertEquals("client", client.resolve(StackFrame.unresolved(LEAK)).module(), "the other target is still served");
        client.close();
        client.close(); // idempotent
        verify(dbgeng.client).endSession(DbgEngConstants.DEBUG_END_ACTIVE_DETACH);
        verify(dbgeng.client, times(1)).detachCurrentProcess();
        assertEquals(Set.of(), host.attached());
        assertEquals(StackFrame.unresolved(LEAK), server.resolve(StackFrame.unresolved(LEAK)), "a closed target resolves nothing");
    }

    @Test
    void theSameProcessTwiceIsOneAttachDetachedWhenBothAreClosed() {
        DbgEngHost.Attachment a = host.attach(100, null);
        DbgEngHost.Attachment b = host.attach(100, null);
        verify(dbgeng.client, times(1)).attachProcess(0L, 100,
                DbgEngConstants.DEBUG_ATTACH_NONINVASIVE | DbgEngConstants.DEBUG_ATTACH_NONINVASIVE_NO_SUSPEND);
        a.close();
        verify(dbgeng.client, never()).endSession(anyInt());
        b.close();
        verify(dbgeng.client).endSession(DbgEngConstants.DEBUG_END_ACTIVE_DETACH);
    }

    @Test
    void aFailedFirstAttachClosesTheClientAndALaterOneStartsAfresh() {
        doThrow(new DbgEngException("IDebugClient5.AttachProcess", HResult.E_INVALIDARG)).when(dbgeng.client).attachProcess(anyLong(), eq(999), anyInt());
        assertThrows(JhtraceException.class, () -> host.attach(999, null));
        assertEquals(1, started.size());
        verify(dbgeng.client).endSession(DbgEngConstants.DEBUG_END_ACTIVE_DETACH);
        host.attach(100, "C:\\symbols").close();
        assertEquals(2, started.size(), "a new client, since the first had been closed");
        verify(dbgeng.symbols).setSymbolPathWide("C:\\symbols");
    }
}
