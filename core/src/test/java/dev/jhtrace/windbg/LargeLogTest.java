package dev.jhtrace.windbg;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Large and hostile input: a long listing keeps its structure and interning; an absurd line is refused, not choked on. */
class LargeLogTest {

    @Test
    void tenThousandHandlesShareAHandfulOfStacks() {
        List<StackTrace> stacks = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            List<StackFrame> frames = new ArrayList<>();
            for (int f = 0; f < 16; f++) {
                frames.add(new StackFrame(0x7ff800000000L + s * 0x1000 + f * 0x10, "mod" + f, "C" + s + "::f" + f, (long) f, null, null));
            }
            stacks.add(new StackTrace(frames));
        }
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            // Every handle opened, half of them closed again right after.
            long h = 4L * (i + 1);
            events.add(new TraceEvent(events.size(), EventKind.OPEN, h, 0x1234, 0x42, TraceEvent.NO_TIME, stacks.get(i % 5)));
            if (i % 2 == 0) events.add(new TraceEvent(events.size(), EventKind.CLOSE, h, 0x1234, 0x42, TraceEvent.NO_TIME, stacks.get(0)));
        }
        String text = "0:000> !htrace\n" + WindbgWriter.htraceListing(events);
        StackTable table = new StackTable();
        WindbgLog log = new WindbgLogParser(table).parse("big.log", text);
        assertTrue(log.problems().isEmpty());
        HtraceOutput h = log.htraceOutputs().get(0);
        assertEquals(events, h.events());
        assertEquals(5, table.distinctStacks());
        assertEquals(80, table.distinctFrames());
        assertEquals(5_000, WindbgImport.of(List.of(log), table).diff().size());
    }

    @Test
    void absurdlyLongLineIsAProblemNotAHang() {
        String junk = "9 ".repeat(2_000_000);
        WindbgLog log = new WindbgLogParser().parse("junk.log", "0:000> !handle 0 0\nType           \tCount\n" + junk + "\nEvent          \t3\n");
        HandleOutput h = log.handleOutputs().get(0);
        assertEquals(3, h.typeCounts().get("Event"));
        assertEquals(1, log.problems().size());
        assertEquals(3, log.problems().get(0).line());
        assertTrue(log.problems().get(0).message().startsWith("line too long (3999999 characters)"), log.problems().get(0).message());
    }
}
