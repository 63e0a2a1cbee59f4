package dev.jhtrace.shell;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.report.ReportJson;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DumpCommandTest {
    private static final Path DUMPS = Path.of(System.getProperty("jhtrace.shared", "../shared"), "fixtures", "dumps");

    @Test
    void listsTheHandlesOfARealDumpAsJson() throws Exception {
        CliRunner r = CliRunner.run("dump", "--json", DUMPS.resolve("wer-triage-purplewinstore-x64.dmp").toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = ReportJson.mapper().readTree(r.out());
        assertEquals(441, json.get("total").asInt());
        assertEquals(201, json.at("/types/(no type)").asInt());
        assertEquals(65, json.at("/types/Event").asInt());
        assertEquals(441, json.get("handles").size());
    }

    @Test
    void filtersByType() throws Exception {
        CliRunner r = CliRunner.run("dump", "--json", "--type", "mutant", DUMPS.resolve("wer-triage-purplewinstore-x64.dmp").toString());
        JsonNode json = ReportJson.mapper().readTree(r.out());
        assertEquals(8, json.get("total").asInt());
        json.get("handles").forEach(h -> assertEquals("Mutant", h.get("type").asText()));
    }

    @Test
    void aFileThatIsNotADumpIsUnreadableInput() {
        CliRunner r = CliRunner.run("dump", DUMPS.resolve("SOURCES.md").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("jhtrace: SOURCES.md: not a usable minidump"), r.err());
        assertEquals(1, r.err().lines().count(), "one line, no stack trace");
    }

    @Test
    void aMissingFileIsTargetNotFound() {
        CliRunner r = CliRunner.run("dump", "/nonexistent/x.dmp");
        assertEquals(4, r.exitCode());
    }
}
