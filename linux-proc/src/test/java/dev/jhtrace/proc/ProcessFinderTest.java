package dev.jhtrace.proc;

import dev.jhtrace.spi.Engine.ProcessInfo;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finds real processes started from uniquely named copies of examples/linux/manyfds.c. */
class ProcessFinderTest {

    @Test
    void findsAProcessByCommAndByArgv0BaseName(@TempDir Path dir) throws Exception {
        String name = "pf" + UUID.randomUUID().toString().substring(0, 8); // 10 chars: comm holds it whole
        Path copy = Files.copy(NativeExamples.compile("manyfds", "-pthread"), dir.resolve(name));
        try (RunningExample p = RunningExample.start(List.of(copy.toString(), "2"))) {
            List<ProcessInfo> found = ProcessFinder.find(name);
            assertEquals(List.of(new ProcessInfo(p.pid(), name, copy + " 2")), found);
            assertEquals(found, ProcessFinder.find(copy.toString()), "a name with a slash is compared to the whole argv[0]");
            assertEquals(List.of(), ProcessFinder.find(name.substring(0, 6)), "no prefix matching");
            assertEquals(List.of(), ProcessFinder.find(name.toUpperCase()), "case-sensitive");
        }
        assertEquals(List.of(), ProcessFinder.find(name), "gone once it exited");
    }

    @Test
    void findsANameLongerThanCommByArgv0AndTheTruncatedCommToo(@TempDir Path dir) throws Exception {
        String name = "procfinder-" + UUID.randomUUID().toString().substring(0, 13); // 24 chars
        Path copy = Files.copy(NativeExamples.compile("manyfds", "-pthread"), dir.resolve(name));
        try (RunningExample p = RunningExample.start(List.of(copy.toString(), "2"))) {
            String comm = name.substring(0, 15);
            List<ProcessInfo> byFullName = ProcessFinder.find(name);
            assertEquals(List.of(new ProcessInfo(p.pid(), comm, copy + " 2")), byFullName);
            assertEquals(byFullName, ProcessFinder.find(comm), "the kernel's 15-byte comm matches too");
        }
    }

    @Test
    void leavesZombiesOut(@TempDir Path dir) throws Exception {
        String name = "pz" + UUID.randomUUID().toString().substring(0, 8);
        Path child = Files.copy(Path.of("/bin/sleep"), dir.resolve(name));
        // the copy of sleep ends after its parent shell has become head, which never waits: a zombie with that name
        try (RunningExample parent = RunningExample.start(List.of("sh", "-c", "'" + child + "' 0.3 & echo ready $!; exec head -c 1"))) {
            int zombie = Integer.parseInt(parent.lines().get(0).split(" ")[1]);
            for (int i = 0; i < 100 && !Files.readString(Path.of("/proc/" + zombie + "/stat")).contains(") Z "); i++) Thread.sleep(20);
            assertTrue(Files.readString(Path.of("/proc/" + zombie + "/comm")).strip().equals(name), "the zombie keeps its name");
            assertEquals(List.of(), ProcessFinder.find(name));
        }
    }

    @Test
    void neverReturnsTheCallingJvm() {
        long self = ProcessHandle.current().pid();
        String comm = ProcessHandle.current().info().command().map(c -> c.substring(c.lastIndexOf('/') + 1)).orElse("java");
        List<ProcessInfo> found = ProcessFinder.find(comm);
        assertFalse(found.stream().anyMatch(p -> p.pid() == self), found.toString());
    }

    @Test
    void unknownNamesFindNothingAndBlankNamesAreBadInput() {
        assertTrue(ProcessFinder.find("no-such-process-" + UUID.randomUUID()).isEmpty());
        for (String bad : new String[]{"", "  ", "a\nb"}) {
            JhtraceException e = assertThrows(JhtraceException.class, () -> ProcessFinder.find(bad));
            assertEquals(Failure.BAD_INPUT, e.failure());
        }
        assertEquals(Failure.BAD_INPUT, assertThrows(JhtraceException.class, () -> ProcessFinder.find(null)).failure());
    }
}
