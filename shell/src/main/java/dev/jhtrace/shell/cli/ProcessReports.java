package dev.jhtrace.shell.cli;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One leak report per process a source stands for (its children, or every process with --all), each diffed on its
 * own from its first traced event.
 *
 * @param reports the reports, in the order asked for
 * @param exited  processes left out because they had ended (--all: their descriptors are released)
 */
record ProcessReports(List<LeakReport> reports, int exited) {
    /** Processes diffed at once with --all. */
    private static final int PARALLEL_DIFFS = 16;

    /** Every process's report, in the order given (children: as they appeared). */
    static ProcessReports of(List<HandleSource> processes, LeakAnalyzer analyzer) {
        List<LeakReport> reports = new ArrayList<>();
        for (HandleSource p : processes) {
            LeakReport r = report(p, analyzer);
            if (r != null) reports.add(r);
        }
        return new ProcessReports(reports, 0);
    }

    /** The reports of the processes still running, those with the most outstanding handles first (--all). */
    static ProcessReports ofRunning(List<HandleSource> processes, LeakAnalyzer analyzer) {
        List<LeakReport> reports = new ArrayList<>();
        int exited = 0;
        // in parallel: a diff may wait for a process's thread to call again (settling), seconds for a quiet one
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL_DIFFS, processes.size())));
        try {
            List<java.util.concurrent.Future<LeakReport>> futures = new ArrayList<>();
            for (HandleSource p : processes) futures.add(pool.submit(() -> p.isAlive() ? report(p, analyzer) : null));
            for (int i = 0; i < futures.size(); i++) {
                LeakReport r = futures.get(i).get();
                if (r == null || !processes.get(i).isAlive()) exited++;
                else if (r.hasLeaks()) reports.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        reports.sort(Comparator.comparingInt(LeakReport::outstanding).reversed());
        return new ProcessReports(reports, exited);
    }

    /** A process's report, or null when it could not be read (it ended while it was). */
    private static LeakReport report(HandleSource process, LeakAnalyzer analyzer) {
        try {
            HtraceSession session = new HtraceSession(process);
            return session.report(session.diff(session.enable(TraceOptions.DEFAULT)), analyzer);
        } catch (JhtraceException gone) {
            return null;
        }
    }

    boolean hasLeaks() {
        return reports.stream().anyMatch(LeakReport::hasLeaks);
    }

    /** The {@code n} heaviest. */
    List<LeakReport> top(int n) {
        return reports.subList(0, Math.min(n, reports.size()));
    }

    /** One line: how many processes leaked, how many are shown, how many ended. */
    String summary(int n) {
        return reports.size() + " running process" + (reports.size() == 1 ? "" : "es") + " with outstanding handles"
                + (reports.size() > n ? ", the " + n + " with the most shown (--processes N)" : "")
                + (exited > 0 ? "; " + exited + " traced process" + (exited == 1 ? "" : "es") + " ended meanwhile (not reported)" : "");
    }
}
