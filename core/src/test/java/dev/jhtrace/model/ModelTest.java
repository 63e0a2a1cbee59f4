package dev.jhtrace.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class ModelTest {

    @Test
    void stackTableInternsEqualStacksAndFramesOnce() {
        StackTable table = new StackTable();
        StackTrace a = table.intern(0x10, 0x20, 0x30);
        StackTrace b = table.intern(new StackTrace(List.of(StackFrame.unresolved(0x10), StackFrame.unresolved(0x20), StackFrame.unresolved(0x30))));
        StackTrace c = table.intern(0x10, 0x20, 0x40);
        assertSame(a, b);
        assertNotSame(a, c);
        assertSame(a.frame(0), c.frame(0), "frames are shared between stacks");
        assertEquals(2, table.distinctStacks());
        assertEquals(4, table.distinctFrames());
    }

    @Test
    void traceLogFindsEventsAfterAnOrder() {
        StackTrace s = StackTrace.EMPTY;
        TraceLog log = TraceLog.of(List.of(
                new TraceEvent(2, EventKind.OPEN, 4, 1, 1, TraceEvent.NO_TIME, s),
                new TraceEvent(5, EventKind.CLOSE, 4, 1, 1, TraceEvent.NO_TIME, s),
                new TraceEvent(9, EventKind.OPEN, 8, 1, 1, TraceEvent.NO_TIME, s)));
        assertEquals(3, log.after(-1).size());
        assertEquals(2, log.after(2).size());
        assertEquals(1, log.after(5).size());
        assertEquals(1, log.after(8).size());
        assertEquals(0, log.after(9).size());
        assertEquals(9, log.lastOrder());
    }

    @Test
    void symbolsPrintLikeWinDbg() {
        assertEquals("test1!CServer::GetToken+0x3c", new StackFrame(1, "test1", "CServer::GetToken", 0x3cL, null, null).symbol());
        assertEquals("leaky+0x1136", new StackFrame(0x401136, "leaky", null, 0x1136L, null, null).symbol());
        assertEquals("0x401136", StackFrame.unresolved(0x401136).symbol());
    }

    @Test
    void countsByTypeAreHeaviestFirstThenByName() {
        HandleTable t = new HandleTable(1, null, List.of(HandleEntry.of(1, "Key", null), HandleEntry.of(2, "File", null),
                HandleEntry.of(3, "Key", null), HandleEntry.of(4, null, null), HandleEntry.of(5, "Event", null)));
        assertEquals(List.of("Key", "(unknown)", "Event", "File"), List.copyOf(t.countsByType().keySet()));
        assertEquals(Map.of("Key", 2, "(unknown)", 1, "Event", 1, "File", 1), t.countsByType());
    }

    @Test
    void mergingHandleEntriesKeepsEverythingKnown() {
        HandleEntry fromList = new HandleEntry(0x3c, "File", null, 0x120089L, null, null, null, Map.of());
        HandleEntry fromDetail = new HandleEntry(0x3c, null, "\\Device\\HarddiskVolume2\\x.txt", null, 0L, 2L, 3L, Map.of("Object specific", "none"));
        HandleEntry m = fromList.mergedWith(fromDetail);
        assertEquals("File", m.type());
        assertEquals("\\Device\\HarddiskVolume2\\x.txt", m.name());
        assertEquals(0x120089L, m.grantedAccess());
        assertEquals(2L, m.handleCount());
        assertEquals("none", m.details().get("Object specific"));
    }
}
