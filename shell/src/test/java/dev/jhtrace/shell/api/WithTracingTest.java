package dev.jhtrace.shell.api;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.testing.RecordingSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code withTracing} turns tracing on, runs the body, then disables and detaches, whatever the body does. */
class WithTracingTest {
    private final RecordingSource source = new RecordingSource();
    private final Jhtrace jhtrace = new Jhtrace(() -> new Engine() {
        @Override public String name() { return "recording"; }
        @Override public Availability availability() { return new Availability(true, "test double"); }
        @Override public HandleSource attach(int pid, TraceOptions options) { return source; }
    });

    @Test
    void aBodyThatReturnsRunsTracedThenTracingIsDisabledAndTheTargetDetached() throws Exception {
        Target t = jhtrace.attach(7);
        Object result = jhtrace.withTracing(t, target -> {
            assertSame(t, target);
            assertEquals(List.of("enable"), source.calls, "traced while the body runs");
            assertTrue(target.getHtrace().isEnabled());
            return "result";
        });
        assertEquals("result", result);
        assertEquals(List.of("enable", "disable", "close"), source.calls);
        assertTrue(t.isDetached());
        assertEquals(List.of(), jhtrace.warnings());
    }

    @Test
    void aBodyThatThrowsStillDisablesAndDetaches() {
        Target t = jhtrace.attach(7);
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> jhtrace.withTracing(t, target -> {
            throw new IllegalStateException("script bug");
        }));
        assertEquals("script bug", x.getMessage());
        assertEquals(List.of("enable", "disable", "close"), source.calls);
        assertTrue(t.isDetached());
    }

    @Test
    void ctrlCDuringTheBodyStillDisablesAndDetaches() {
        assertThrows(Cancelled.class, () -> jhtrace.withTracing(Map.of("pid", 7), target -> {
            jhtrace.cancel();
            jhtrace.sleep(60_000);
            return null;
        }));
        assertEquals(List.of("enable", "disable", "close"), source.calls);
        assertEquals(List.of(), jhtrace.getTargets());
    }

    @Test
    void whenDisablingFailsTheTargetIsDetachedAndThatIsAWarning() throws Exception {
        source.disableFails = true;
        Target t = jhtrace.attach(7);
        assertEquals("done", jhtrace.withTracing(t, target -> "done"));
        assertEquals(List.of("enable", "disable", "close"), source.calls);
        assertTrue(t.isDetached());
        assertEquals(List.of("disabling tracing on " + t + " failed (the debugger is gone); detached"), jhtrace.warnings());
    }

    @Test
    void tracingAlreadyOnIsAdoptedNotEnabledAgainAndStillDisabledAfter() throws Exception {
        source.enable(TraceOptions.DEFAULT);
        source.calls.clear();
        jhtrace.withTracing(jhtrace.attach(7), target -> null);
        assertEquals(List.of("disable", "close"), source.calls);
    }
}
