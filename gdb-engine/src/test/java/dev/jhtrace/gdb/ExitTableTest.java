package dev.jhtrace.gdb;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.ExitTable;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A launched Python program that leaks files: Python closes them at exit, so which table judges it decides what is seen. */
class ExitTableTest {
    /** Five /etc/hostname kept in a global list, one /etc/passwd kept from a function, one file closed properly. */
    private static final String LEAKY = """
            kept = [open("/etc/hostname") for _ in range(5)]
            def remember():
                global passwd
                passwd = open("/etc/passwd")
            remember()
            with open("/etc/group") as f:
                f.read()
            """;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void beforeExitCountsTheFilesPythonClosesOnItsWayOut() throws Exception {
        assertEquals(Map.of("/etc/hostname", 5L, "/etc/passwd", 1L), outstandingByName(ExitTable.BEFORE_EXIT));
    }

    @Test
    @Timeout(120)
    void atExitDoesNotForWhatPythonClosedBeforeItsProcessEnded() throws Exception {
        assertEquals(Map.of(), outstandingByName(ExitTable.AT_EXIT));
    }

    private Map<String, Long> outstandingByName(ExitTable exitTable) throws Exception {
        Path script = Files.writeString(dir.resolve("leaky.py"), LEAKY);
        TraceOptions options = TraceOptions.DEFAULT.withExitTable(exitTable);
        ProcessBuilder pb = new ProcessBuilder(python(), script.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (GdbHandleSource source = new GdbEngine().launch(pb, options)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot launch = session.enable(options);
            assertTrue(source.launchedProcess().orElseThrow().waitFor(60, TimeUnit.SECONDS), "python ran to its end");
            assertEquals(0, source.launchedProcess().orElseThrow().exitValue());
            Diff diff = session.diff(launch);
            return diff.outstanding().stream().filter(h -> h.name() != null && h.name().startsWith("/etc/"))
                    .collect(Collectors.groupingBy(OutstandingHandle::name, TreeMap::new, Collectors.counting()));
        }
    }

    /** The system's interpreter itself (a version manager's shim on the PATH would run it through a shell script). */
    static String python() {
        for (String p : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return "python3";
    }
}
