package dev.jhtrace.shell;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.report.ReportJson;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportCommandTest {
    private static final Path WINDBG = Path.of(System.getProperty("jhtrace.shared", "../shared"), "fixtures", "windbg");

    private static String fixture(String name) {
        return WINDBG.resolve(name).toString();
    }

    @Test
    void htraceDiffBecomesALeakReportGroupedByStack() throws Exception {
        CliRunner r = CliRunner.run("import", "--json", fixture("003-aio-cppresourceleaks-htrace-diff.txt"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = ReportJson.mapper().readTree(r.out());
        assertEquals("windbg-log", json.get("engine").asText());
        assertEquals(4, json.get("outstanding").asInt());
        assertEquals(0x17e8, json.at("/target/pid").asInt());
        // two elided stacks share "unknown"; the two printed ones are both LeakFileHandle, at different offsets
        assertEquals(3, json.get("groups").size());
        assertEquals(2, json.at("/groups/0/count").asInt());
        assertTrue(json.at("/groups/0/leakFrame").isNull());
        assertEquals("LeakFileHandle", json.at("/groups/1/leakFrame/function").asText());
        assertEquals("CppResourceLeaks", json.at("/groups/1/leakFrame/module").asText());
        assertEquals(10, json.at("/groups/1/stack").size());
    }

    @Test
    void groupByFunctionJoinsTheLeakSites() throws Exception {
        CliRunner r = CliRunner.run("import", "--json", "--group-by", "function", fixture("003-aio-cppresourceleaks-htrace-diff.txt"));
        JsonNode json = ReportJson.mapper().readTree(r.out());
        assertEquals("function", json.get("groupBy").asText());
        assertEquals(2, json.get("groups").size(), "the two LeakFileHandle stacks join; the elided ones stay apart");
        JsonNode leakFile = null;
        for (JsonNode g : json.get("groups")) if (g.get("key").asText().equals("CppResourceLeaks!LeakFileHandle")) leakFile = g;
        assertEquals(2, leakFile.get("count").asInt());
    }

    @Test
    void handleOutputBecomesAListingAndBothTogetherNestUnderLeaksAndHandles() throws Exception {
        CliRunner handles = CliRunner.run("import", "--json", fixture("028-i4-handle-full-listing-live.txt"));
        assertEquals(0, handles.exitCode(), handles.err());
        JsonNode listing = ReportJson.mapper().readTree(handles.out());
        assertTrue(listing.has("total") && listing.has("handles"), handles.out());

        CliRunner both = CliRunner.run("import", "--json", fixture("003-aio-cppresourceleaks-htrace-diff.txt"), fixture("028-i4-handle-full-listing-live.txt"));
        JsonNode json = ReportJson.mapper().readTree(both.out());
        assertEquals(4, json.at("/leaks/outstanding").asInt());
        assertEquals(listing.get("total").asInt(), json.at("/handles/total").asInt());
    }

    @Test
    void textReportNamesTheLeakingFrameAndCountsByType() {
        CliRunner r = CliRunner.run("import", fixture("003-aio-cppresourceleaks-htrace-diff.txt"));
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("4 outstanding handles in pid 6120 [windbg-log]"), r.out());
        assertTrue(r.out().contains("  > 0xab158f CppResourceLeaks!LeakFileHandle+0x16f"), r.out());
        assertTrue(r.out().contains("Outstanding by type:"));
    }

    @Test
    void unplaceableLinesAreReportedWithFileAndLine() {
        CliRunner r = CliRunner.run("import", fixture("031-flighttracker-handle-summary-146287-truncated.txt"));
        assertEquals(0, r.exitCode());
        assertTrue(r.err().contains("031-flighttracker-handle-summary-146287-truncated.txt:18"), r.err());
    }

    @Test
    void aMissingOrBinaryFileIsUnreadableInput() {
        assertEquals(2, CliRunner.run("import", "/nonexistent/log.txt").exitCode());
        CliRunner dump = CliRunner.run("import", Path.of(System.getProperty("jhtrace.shared", "../shared"), "fixtures", "dumps", "chrome129-many-handles-x64.dmp").toString());
        assertEquals(2, dump.exitCode());
        assertEquals(1, dump.err().lines().count(), dump.err());
    }
}
