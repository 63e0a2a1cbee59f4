package dev.jhtrace.shell.api;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.testing.RecordingSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The symbol path reaches the engine in the trace options of each attach and launch, not through a system property. */
class SymbolPathOptionTest {
    private final List<TraceOptions> asked = new ArrayList<>();
    private final Jhtrace jhtrace = new Jhtrace(() -> new Engine() {
        @Override public String name() { return "recording"; }
        @Override public Availability availability() { return new Availability(true, "test double"); }
        @Override public HandleSource attach(int pid, TraceOptions options) { asked.add(options); return new RecordingSource(); }
        @Override public HandleSource launch(List<String> command, TraceOptions options) { asked.add(options); return new RecordingSource(); }
    });

    @Test
    void targetsAttachedAfterTheSymbolPathIsSetGetIt() {
        jhtrace.attach(7);
        jhtrace.setSymbolPath(List.of("/opt/syms", "/srv/debug"));
        jhtrace.attach(java.util.Map.of("pid", 8, "stackDepth", 32));
        jhtrace.launch(List.of("true"));
        jhtrace.setSymbolPath(List.of());
        jhtrace.attach(9);

        assertEquals(List.of(), asked.get(0).symbolPath(), "attached before: the engine's default");
        assertEquals(List.of("/opt/syms", "/srv/debug"), asked.get(1).symbolPath());
        assertEquals(32, asked.get(1).stackDepth(), "the other options stay as asked");
        assertEquals(List.of("/opt/syms", "/srv/debug"), asked.get(2).symbolPath());
        assertEquals(List.of(), asked.get(3).symbolPath(), "cleared");
        assertNull(System.getProperty("jhtrace.symbolPath"), "no system property as plumbing");
    }
}
