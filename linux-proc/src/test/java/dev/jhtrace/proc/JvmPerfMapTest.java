package dev.jhtrace.proc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jcmd's attach sends SIGQUIT: a process that is no JVM and catches it (a Python program here, as a Go program does
 * to dump its goroutines) would act on it, and one that does not catch it would dump core. Only a JVM is asked.
 */
class JvmPerfMapTest {
    /** A Python program that exits with 3 on SIGQUIT, having said "ready" once its handler is in place. */
    private static Process quitHandler() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                // unblocked first: a child of the JVM inherits its blocked SIGQUIT
                "import signal, sys, time\nsignal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGQUIT])\n"
                        + "signal.signal(signal.SIGQUIT, lambda *a: sys.exit(3))\nprint('ready', flush=True)\ntime.sleep(120)")
                .redirectErrorStream(true).start();
        String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertEquals("ready", ready);
        return p;
    }

    @Test
    @Timeout(60)
    void aProcessThatIsNoJvmIsNeverAskedAndRunsOn() throws Exception {
        Process p = quitHandler();
        try {
            assertFalse(JvmPerfMap.isJvm((int) p.pid()));
            assertFalse(JvmPerfMap.request((int) p.pid()));
            assertFalse(p.waitFor(1, TimeUnit.SECONDS), "still running: it was sent no SIGQUIT");
        } finally {
            p.destroyForcibly();
        }
    }

    /** The control: asked anyway, jcmd's SIGQUIT ends it (exit status 3, its handler's). */
    @Test
    @Timeout(60)
    void controlAskedAnywayItGetsSigquit() throws Exception {
        Process p = quitHandler();
        try {
            assertFalse(JvmPerfMap.request((int) p.pid(), false));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ended by jcmd's SIGQUIT");
            assertEquals(3, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void thisJvmIsOne() {
        assertTrue(JvmPerfMap.isJvm((int) ProcessHandle.current().pid()));
    }
}
