package dev.jhtrace.proc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A descriptor whose thread a tracer holds at the entry of close is known to be closing, and no other. */
class DescriptorsBeingClosedTest {

    @Test
    @Timeout(60)
    void aThreadHeldAtTheEntryOfCloseIsClosingThatDescriptorOnly() throws Exception {
        // python opens two files, then closes the first when told to
        Process target = new ProcessBuilder("python3", "-c", String.join("\n",
                "import os, sys",
                "a = os.open('/etc/hostname', os.O_RDONLY)",
                "b = os.open('/etc/passwd', os.O_RDONLY)",
                "print(a, b, flush=True)",
                "sys.stdin.readline()",
                "os.close(a)",
                "sys.stdin.readline()")).start();
        Process gdb = null;
        try {
            String[] fds = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8)).readLine().split(" ");
            long a = Long.parseLong(fds[0]), b = Long.parseLong(fds[1]);
            long pid = target.pid();
            // nothing is closing while the program waits for its line (the control)
            assertEquals(Set.of(), DescriptorsBeingClosed.among(pid, Set.of(a, b)));
            gdb = new ProcessBuilder("gdb", "-q", "-nx", "-p", Long.toString(pid),
                    "-ex", "catch syscall close", "-ex", "continue").redirectErrorStream(true).start();
            BufferedReader gdbOut = new BufferedReader(new InputStreamReader(gdb.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = gdbOut.readLine()) != null && !line.startsWith("Catchpoint 1 (syscall")) {
                // until gdb has installed the catchpoint (the line before it continues)
            }
            OutputStream toTarget = target.getOutputStream();
            toTarget.write('\n');
            toTarget.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Set<Long> closing = Set.of();
            while (closing.isEmpty() && System.nanoTime() < deadline) {
                closing = DescriptorsBeingClosed.among(pid, Set.of(a, b));
                if (closing.isEmpty()) Thread.sleep(10);
            }
            assertEquals(Set.of(a), closing, "held at close(" + a + ")");
            assertTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc", Long.toString(pid), "fd", Long.toString(a))),
                    "still in the table while held");
            assertEquals(Set.of(), DescriptorsBeingClosed.among(pid, Set.of(b)), "only the one being closed");
        } finally {
            if (gdb != null) gdb.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            target.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
