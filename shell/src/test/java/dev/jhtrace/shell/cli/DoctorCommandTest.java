package dev.jhtrace.shell.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorCommandTest {
    @Test
    void aKernelSettingOfManyCharactersIsReadWhole() throws Exception {
        // seven digits by default: a reader whose first read is one byte long would see "1"
        assertEquals(sysctlN("fs.pipe-max-size"), DoctorCommand.sysctl(Path.of("/proc/sys/fs/pipe-max-size")));
        assertEquals(sysctlN("kernel.perf_event_paranoid"), DoctorCommand.sysctl(Path.of("/proc/sys/kernel/perf_event_paranoid")));
        assertNull(DoctorCommand.sysctl(Path.of("/proc/sys/kernel/no_such_setting_here")));
    }

    @Test
    void perfEventParanoidAtMinusOneLetsAnyoneRecord() {
        assertEquals("kernel.perf_event_paranoid=-1 (anyone may record tracepoints)", DoctorCommand.perfEventParanoid("-1"));
        assertTrue(DoctorCommand.perfEventParanoid("2").contains("need root or CAP_PERFMON"), DoctorCommand.perfEventParanoid("2"));
        assertEquals("no perf events on this kernel", DoctorCommand.perfEventParanoid(null));
    }

    @Test
    void ptraceScopeSaysWhatEachLevelAllows() {
        assertTrue(DoctorCommand.ptraceScope("1").contains("only descendants"), DoctorCommand.ptraceScope("1"));
        assertTrue(DoctorCommand.ptraceScope(null).startsWith("no Yama"), DoctorCommand.ptraceScope(null));
    }

    /** What procps' sysctl prints for {@code name}: the reader the test compares with. */
    private static String sysctlN(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sysctl", "-n", name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
