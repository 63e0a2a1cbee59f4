package dev.jhtrace.perf;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts jhtrace's perf processes from one daemon thread that lives as long as the JVM. They run under
 * {@code setpriv --pdeathsig KILL}, and the kernel sends that signal when the <em>thread</em> that forked them ends,
 * not the process: started from a short-lived thread, perf would be killed mid-trace. Started from here, perf is
 * killed exactly when the JVM goes, also on SIGKILL, so it never outlives jhtrace.
 */
final class Spawner {
    // one for the JVM on purpose: its thread's life is what PR_SET_PDEATHSIG measures
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jhtrace-perf-spawner");
        t.setDaemon(true);
        return t;
    });

    private Spawner() {
    }

    /** Starts the pipeline (each process's stdout into the next one's stdin), from the spawner thread. */
    static List<Process> startPipeline(List<ProcessBuilder> builders) throws IOException {
        return call(() -> ProcessBuilder.startPipeline(builders));
    }

    /** Starts one process from the spawner thread. */
    static Process start(ProcessBuilder builder) throws IOException {
        return call(builder::start);
    }

    private interface Start<T> {
        T start() throws IOException;
    }

    private static <T> T call(Start<T> start) throws IOException {
        Future<T> f = THREAD.submit(start::start);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting perf", e);
        }
    }
}
