package dev.jhtrace.shell.capture;

import dev.jhtrace.capture.Capture;
import dev.jhtrace.capture.CaptureReader;
import dev.jhtrace.capture.CaptureRecord;
import dev.jhtrace.capture.StackGroup;
import dev.jhtrace.shell.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each record of a capture holds every descriptor opened since the previous one with the stack that opened it, however
 * fast the target leaks: a descriptor opened while a record read the table, before the trace caught up, is the next
 * record's with its stack, never "(stack unknown)" (the perf engine's events reach jhtrace a moment after the kernel
 * made them, so such descriptors are there in every record of a fast leaker).
 */
class CaptureAttributionTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void everyDescriptorAFastLeakerOpensIsHeldWithItsStack() throws Exception {
        // 200 leaks a second, and as many opens and closes of /proc/self/status
        Process leaker = Targets.start(Targets.build("steady-leaker"), "5", "40");
        try {
            Path dir = tmp.resolve("fast");
            CliRunner r = CliRunner.run("capture", "--engine", "perf", "--pid", String.valueOf(leaker.pid()), "--every", "300ms", "--for", "4s",
                    "--out", dir.toString());
            assertEquals(3, r.exitCode(), r.out() + r.err());
            assertTrue(leaker.isAlive(), "the target runs on");
            Capture c = CaptureReader.read(dir);
            List<String> unknown = new ArrayList<>();
            int held = 0, openedInRecords = 0;
            for (CaptureRecord record : c.records()) {
                held = 0;
                for (StackGroup g : record.groups()) {
                    if (g.key().contains("remember_session")) {
                        held = g.count();
                        openedInRecords += g.opened();
                    } else if (!g.key().contains("read_status")) {
                        unknown.add("record " + record.seq() + ": " + g.key() + " holds " + g.count());
                    }
                }
            }
            assertTrue(held > 200, "the leak was recorded: " + held + " held at the end");
            assertEquals(List.of(), unknown, "every held descriptor is remember_session's");
            // each leaked descriptor counted once, in the record after it was opened
            assertEquals(held, openedInRecords, "descriptors counted as opened, record by record");
        } finally {
            Targets.stop(leaker);
        }
    }
}
