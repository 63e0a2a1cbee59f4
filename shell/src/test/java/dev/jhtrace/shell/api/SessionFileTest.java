package dev.jhtrace.shell.api;

import dev.jhtrace.model.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A saved session's events as read back: an event marked inferred (an eighth element) stays so, the others are seen. */
class SessionFileTest {
    @Test
    void anInferredEventIsReadBackInferredAndAnOlderFilesEventsAreSeen(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s.json"), """
                {"format": "jhtrace-session", "version": 1, "target": {"pid": 42, "name": "scmheap"}, "engine": "perf",
                 "snapshots": [],
                 "trace": {"stacks": [[]],
                           "events": [[1, "OPEN", 5, 42, 42, null, 0], [2, "OPEN", 6, 42, 42, 1000, 0, true], [3, "CLOSE", 5, 42, 42, null, 0]]}}
                """);
        SessionFile.Loaded loaded = SessionFile.read(file);
        List<TraceEvent> events = loaded.source().tracing().orElseThrow().log().events();
        assertEquals(List.of(false, true, false), events.stream().map(TraceEvent::inferred).toList());
        assertEquals(List.of(5L, 6L, 5L), events.stream().map(TraceEvent::handle).toList());
    }
}
