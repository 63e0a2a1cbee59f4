package dev.jhtrace.gdb;

import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.Engines;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gdb dying on its own while tracing (gdb 13.1 can abort) must leave the target running with its descriptors,
 * through the engine as users run it. StopRescueTest reaches the pending-stop state deterministically and has
 * the controls with each rescue switched off.
 */
class GdbDeathTest {

    @Test
    void aTargetWhoseGdbIsKilledMidTraceRunsOnWithItsDescriptors() throws Exception {
        try (LeakyProcess p = LeakyProcess.start()) {
            GdbHandleSource source = (GdbHandleSource) Engines.named("gdb").attach(p.pid(), TraceOptions.DEFAULT);
            try {
                new HtraceSession(source).enable(TraceOptions.DEFAULT);
                p.send("file 3");
                int fds = p.count();
                // as when gdb aborts mid-interrupt: every thread held in a stop, then gdb gone
                source.gdb().mi().call("-exec-interrupt --all", GdbProcess.COMMAND_TIMEOUT_MILLIS);
                source.gdb().awaitAllStopped(GdbProcess.COMMAND_TIMEOUT_MILLIS);
                new ProcessBuilder("kill", "-KILL", Long.toString(source.gdb().mi().pid())).start().waitFor(5, TimeUnit.SECONDS);

                LinuxProcess target = new LinuxProcess(p.pid());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((target.tracerPid() != 0 || target.state() == 'T' || target.state() == 't') && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, target.tracerPid(), "no longer traced");
                assertNotEquals('T', target.state(), "not left stopped");
                assertNotEquals('t', target.state(), "not left in a tracing stop");
                assertEquals(fds, p.count(), "descriptors intact, and the target answers");
                p.send("file 1");
                assertEquals(fds + 1, p.count(), "and it keeps working");
                assertTrue(target.isAlive());
            } finally {
                source.close(); // gdb is gone: closing must neither fail nor touch the target
            }
            assertTrue(new LinuxProcess(p.pid()).isAlive());
        }
    }
}
