package dev.jhtrace.perf;

import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The ring perf record gets per CPU. */
class RingSizeTest {
    @Test
    void smallMachinesGet64MiBPerCpuLargerOnesShareA256MiBBudgetDownTo16MiB() {
        assertEquals(16384, RingSize.pagesFor(1));
        assertEquals(16384, RingSize.pagesFor(2));
        assertEquals(16384, RingSize.pagesFor(4));
        assertEquals(8192, RingSize.pagesFor(8));
        assertEquals(4096, RingSize.pagesFor(16));
        assertEquals(4096, RingSize.pagesFor(96));
        assertEquals(8192, RingSize.pagesFor(6)); // 10,922 pages of budget each: the power of two below, for perf's -m
    }

    @Test
    void theKernelsCpuListIsCounted() {
        assertEquals(1, RingSize.countCpuList("0\n"));
        assertEquals(2, RingSize.countCpuList("0-1\n"));
        assertEquals(8, RingSize.countCpuList("0-3,8-11"));
        assertEquals(4, RingSize.countCpuList("0,2,5-6"));
        assertThrows(IllegalArgumentException.class, () -> RingSize.countCpuList("\n"));
    }

    /** The engine starts perf record with that ring, for this machine's CPUs (as root, as the tests run). */
    @Test
    void perfRecordRunsWithTheRingForThisMachine() throws Exception {
        int cpus = RingSize.countCpuList(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        try (DrivenProcess leaky = new DrivenProcess(DrivenProcess.example("leaky"));
             PerfHandleSource source = new PerfEngine().attach(leaky.pid(), TraceOptions.DEFAULT)) {
            new dev.jhtrace.session.HtraceSession(source).enable(TraceOptions.DEFAULT);
            List<String> args = Arrays.asList(new String(Files.readAllBytes(Path.of("/proc/" + source.perfTracing().recordPid() + "/cmdline")),
                    StandardCharsets.UTF_8).split("\0"));
            // through setpriv, which execs perf in place
            int m = args.indexOf("-m");
            assertEquals(Integer.toString(RingSize.pagesFor(cpus)), args.get(m + 1), args.toString());
            assertEquals(1, args.stream().filter("-m"::equals).count(), args.toString());
        }
    }
}
