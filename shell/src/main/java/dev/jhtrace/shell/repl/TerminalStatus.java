package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.api.Status;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A status line on the terminal for anything that takes over a second: {@code [attaching to 1234 with gdb] 3s}.
 * Drawn on one line with carriage returns and erased when the operation ends.
 */
final class TerminalStatus implements Status, AutoCloseable {
    private static final long DELAY_MILLIS = 1_000;
    private final PrintWriter err;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jhtrace-status");
        t.setDaemon(true);
        return t;
    });

    TerminalStatus(PrintWriter err) {
        this.err = err;
    }

    @Override
    public Shown show(String label) {
        long start = System.nanoTime();
        Object lock = new Object();
        boolean[] drawn = {false};
        ScheduledFuture<?> task = timer.scheduleAtFixedRate(() -> {
            synchronized (lock) {
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                err.print("\r\033[K[" + label + "] " + seconds + "s ");
                err.flush();
                drawn[0] = true;
            }
        }, DELAY_MILLIS, 500, TimeUnit.MILLISECONDS);
        return () -> {
            task.cancel(false);
            synchronized (lock) {
                if (drawn[0]) {
                    err.print("\r\033[K");
                    err.flush();
                }
            }
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
