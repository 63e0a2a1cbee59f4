package dev.jhtrace.spi;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.testing.RecordingSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The launch protocol's order, and the program resumed whichever step fails. */
class SuspendedLaunchTest {

    /** A launch whose steps are written down, one of them failing when named. */
    private static final class Scripted extends SuspendedLaunch<String, RecordingSource> {
        final List<String> steps = new ArrayList<>();
        final RecordingSource source = new RecordingSource();
        final String failing;
        Snapshot marked;

        Scripted(String failing) {
            this.failing = failing;
        }

        private void step(String name) {
            steps.add(name);
            if (name.equals(failing)) throw new JhtraceException(Failure.OTHER, name + " failed");
        }

        @Override protected String startSuspended() { step("start"); return "process"; }
        @Override protected RecordingSource attach(String p) { step("attach"); return source; }
        @Override protected HandleTable inheritedTable(String p, RecordingSource s) { step("table"); return super.inheritedTable(p, s); }
        @Override protected void mark(RecordingSource s, Snapshot launch) { step("mark"); marked = launch; }
        @Override protected void enable(RecordingSource s) { step("enable"); }
        @Override protected void resume(String p, RecordingSource s) { step("resume"); }
        @Override protected void resumeAbandoned(String p) { steps.add("resume abandoned"); }
        @Override protected void release(String p) { steps.add("release"); }
    }

    @Test
    void startsSuspendedReadsTheInheritedTableMarksEnablesThenResumes() {
        Scripted launch = new Scripted("none");
        launch.source.open(0);
        assertSame(launch.source, launch.run());
        assertEquals(List.of("start", "attach", "table", "mark", "enable", "resume", "release"), launch.steps);
        assertEquals("launch", launch.marked.name());
        assertEquals(Snapshot.BEFORE_FIRST_EVENT, launch.marked.traceMark());
        assertEquals(1, launch.marked.table().size(), "what it inherited");
        assertEquals(List.of(), launch.source.calls, "the source stays open");
    }

    @ParameterizedTest
    @ValueSource(strings = {"attach", "table", "mark", "enable", "resume"})
    void everyFailureAfterTheStartClosesWhatWasAttachedAndResumesTheProgram(String failing) {
        Scripted launch = new Scripted(failing);
        JhtraceException x = assertThrows(JhtraceException.class, launch::run);
        assertEquals(failing + " failed", x.getMessage());
        List<String> done = launch.steps.subList(0, launch.steps.indexOf(failing) + 1);
        List<String> expected = new ArrayList<>(done);
        expected.add("resume abandoned");
        expected.add("release");
        assertEquals(expected, launch.steps);
        assertEquals(failing.equals("attach") ? List.of() : List.of("close"), launch.source.calls, "the source closed, once it existed");
    }

    @Test
    void aProgramThatNeverStartedIsNotResumed() {
        Scripted launch = new Scripted("start");
        assertThrows(JhtraceException.class, launch::run);
        assertEquals(List.of("start"), launch.steps);
    }
}
