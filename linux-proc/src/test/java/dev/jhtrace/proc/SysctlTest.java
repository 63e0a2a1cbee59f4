package dev.jhtrace.proc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SysctlTest {
    @Test
    void aSettingOfManyDigitsIsReadWhole() throws Exception {
        // fs.pipe-max-size is 1048576 by default: seven digits, where a one-byte first read would give "1"
        assertEquals(Optional.of(sysctlN("fs.pipe-max-size")), Sysctl.value("fs.pipe-max-size"));
        assertEquals(Optional.of(sysctlN("kernel.pid_max")), Sysctl.value("kernel.pid_max"));
        assertEquals(Optional.of(sysctlN("kernel.perf_event_paranoid")), Sysctl.value("kernel.perf_event_paranoid"));
    }

    @Test
    void aSettingTheKernelDoesNotHaveIsEmpty() {
        assertEquals(Optional.empty(), Sysctl.value("kernel.no_such_setting_here"));
    }

    /** What procps' sysctl prints for {@code name}: the reader the test compares with. */
    private static String sysctlN(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sysctl", "-n", name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
