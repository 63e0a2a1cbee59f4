package dev.jhtrace.perf;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a launch's forks left running, against real processes. */
class DescendantsTest {
    @Test
    void aForkedProcessCountsWhileItRunsAndNotOnceItEnded() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(30, TimeUnit.SECONDS));
        try {
            Descendants d = new Descendants();
            assertFalse(d.anyAlive(), "none forked");
            d.forked((int) ended.pid());
            assertFalse(d.anyAlive(), "the one forked has ended");
            d.forked((int) sleeper.pid());
            assertTrue(d.anyAlive(), "sleep runs");
            assertEquals(2, d.forks());
            sleeper.destroy();
            assertTrue(sleeper.waitFor(30, TimeUnit.SECONDS));
            assertFalse(d.anyAlive(), "sleep ended");
            assertFalse(d.overflowed());
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
