package dev.jhtrace.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportJsonTest {

    @Test
    void leakReportHasTheDocumentedShape() throws Exception {
        StackTrace stack = new StackTrace(List.of(
                new StackFrame(0x7ff800001000L, "libc.so.6", "open64", 0x20L, null, null),
                new StackFrame(0x401136, "leaky", "leak_file", 0x1aL, "leaky.c", 12),
                new StackFrame(0x401200, null, null, null, null, null)));
        TraceEvent open = new TraceEvent(1, EventKind.OPEN, 5, 42, 43, TraceEvent.NO_TIME, stack);
        Diff diff = new Diff(new TargetInfo(42, "leaky"), new Snapshot("s", Instant.EPOCH, 0, null), Instant.EPOCH,
                List.of(new OutstandingHandle(5, HandleEntry.of(5, "File", "/tmp/x"), open, false)), 1, 0L);
        LeakReport report = LeakAnalyzer.DEFAULT.analyze(diff, "gdb");

        JsonNode json = ReportJson.mapper().readTree(ReportJson.write(ReportJson.tree(report)));

        assertEquals(List.of("target", "engine", "outstanding", "lostEvents", "types", "groups"), fieldNames(json));
        assertEquals(42, json.at("/target/pid").asInt());
        assertEquals("leaky", json.at("/target/name").asText());
        assertEquals("gdb", json.get("engine").asText());
        assertEquals(1, json.get("outstanding").asInt());
        assertEquals(0, json.get("lostEvents").asInt());
        assertEquals(1, json.at("/types/File").asInt());
        JsonNode g = json.at("/groups/0");
        assertEquals(List.of("count", "types", "names", "threads", "leakFrame", "stack"), fieldNames(g));
        assertEquals("/tmp/x", g.at("/names/0").asText());
        assertEquals(43, g.at("/threads/0").asInt());
        assertEquals(List.of("address", "module", "function", "offset", "file", "line"), fieldNames(g.get("leakFrame")));
        assertEquals("0x401136", g.at("/leakFrame/address").asText());
        assertEquals("leak_file", g.at("/leakFrame/function").asText());
        assertEquals("0x1a", g.at("/leakFrame/offset").asText());
        assertEquals(12, g.at("/leakFrame/line").asInt());
        assertEquals(3, g.get("stack").size());
        assertTrue(g.at("/stack/2/module").isNull(), "absent fields are null");
        assertTrue(g.at("/stack/2/offset").isNull());
    }

    /** Handles whose OPEN the engine worked out are counted in their group, in the JSON and in the text. */
    @Test
    void aGroupSaysHowManyOfItsOpensWereInferred() throws Exception {
        StackTrace stack = new StackTrace(List.of(new StackFrame(0x401136, "scmheap", "keep_some", 0x1aL, "scmheap.c", 30)));
        TraceEvent seen = new TraceEvent(1, EventKind.OPEN, 5, 42, 42, TraceEvent.NO_TIME, stack);
        TraceEvent inferred = new TraceEvent(2, EventKind.OPEN, 6, 42, 42, TraceEvent.NO_TIME, stack, TraceEvent.NO_OBJECT, true);
        Diff diff = new Diff(new TargetInfo(42, "scmheap"), new Snapshot("s", Instant.EPOCH, 0, null), Instant.EPOCH,
                List.of(new OutstandingHandle(5, HandleEntry.of(5, "File", "/tmp/x"), seen, false),
                        new OutstandingHandle(6, HandleEntry.of(6, "File", "/tmp/y"), inferred, false)), 2, 0L);
        LeakReport report = LeakAnalyzer.DEFAULT.analyze(diff, "perf");
        JsonNode json = ReportJson.mapper().readTree(ReportJson.write(ReportJson.tree(report)));
        assertEquals(2, json.at("/groups/0/count").asInt());
        assertEquals(1, json.at("/groups/0/inferred").asInt());
        assertTrue(LeakReportText.render(report).contains("\n    inferred: 1 of these were not seen opened but worked out"), LeakReportText.render(report));
    }

    @Test
    void handleListingHasTheDocumentedShape() throws Exception {
        HandleTable t = new HandleTable(7, null, List.of(
                new HandleEntry(0x10, "Key", "\\REGISTRY\\MACHINE", 0x20019L, null, null, null, Map.of()),
                HandleEntry.of(0x4, "Event", null)));
        JsonNode json = ReportJson.mapper().readTree(ReportJson.write(ReportJson.tree(HandleListing.of(t))));
        assertEquals(List.of("pid", "total", "types", "handles"), fieldNames(json));
        assertEquals(2, json.get("total").asInt());
        assertEquals("0x4", json.at("/handles/0/handle").asText());
        assertEquals("0x20019", json.at("/handles/1/grantedAccess").asText());
        assertTrue(json.at("/handles/0/grantedAccess").isNull());
        assertEquals(List.of("handle", "type", "name", "grantedAccess"), fieldNames(json.at("/handles/0")));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
