package dev.jhtrace.gdb;

import dev.jhtrace.gdb.mi.GdbMi;
import dev.jhtrace.gdb.mi.MiRecord;
import dev.jhtrace.gdb.mi.MiResponse;
import dev.jhtrace.gdb.mi.MiTuple;
import dev.jhtrace.gdb.mi.MiValue;
import dev.jhtrace.gdb.trace.GdbConnection;
import dev.jhtrace.model.ProcessExit;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One gdb attached to one process, in non-stop asynchronous mode so that commands work while the
 * target runs and only the thread at a traced syscall ever stops. Loads the Python helper
 * ({@code jhtrace_gdb.py}) and arms its watchdog, so that if jhtrace dies, even by SIGKILL, gdb
 * detaches and the target runs on with all its descriptors.
 */
public final class GdbProcess implements GdbConnection, AutoCloseable {
    private static final String HELPER = "jhtrace_gdb.py";
    private static final String JOB_CONTROL_STOPS = "-interpreter-exec console \"handle SIGSTOP SIGTSTP SIGTTIN SIGTTOU stop print pass\"";

    private final GdbMi mi;
    private final int pid;
    private final boolean stoppedBeforeAttach;
    private final Rescue rescue;
    private volatile boolean exited;
    private volatile ProcessExit exit;
    private volatile boolean detached;
    private volatile boolean jobStopped;
    /** Exists while gdb holds a job-control stop the target was sent (the helper creates and deletes it); null if none. */
    private final Path userStopMarker;
    private final boolean userStopsRespected;
    private final Process guardian;
    private final java.util.concurrent.CompletableFuture<Void> released = new java.util.concurrent.CompletableFuture<>();

    private GdbProcess(GdbMi mi, int pid, boolean stoppedBeforeAttach, Rescue rescue, boolean userStopsRespected) {
        this.mi = mi;
        this.pid = pid;
        this.stoppedBeforeAttach = stoppedBeforeAttach;
        this.rescue = rescue;
        this.userStopsRespected = userStopsRespected;
        this.userStopMarker = userStopMarker();
        mi.addListener(r -> {
            if (!(r instanceof MiRecord.Async a)) return;
            if (a.kind() == '=' && a.asyncClass().equals("thread-group-exited")) {
                // exit-code is octal in MI ("07"); absent when a signal ended it (the *stopped record says which)
                a.results().get("exit-code").ifPresent(c -> {
                    if (exit == null) exit = ProcessExit.exited(Integer.parseInt(c.asString(), 8));
                });
                exited = true;
            } else if (a.kind() == '*' && a.asyncClass().equals("stopped")) {
                String reason = a.results().string("reason", "");
                if (reason.equals("exited-signalled")) exit = ProcessExit.killedBy(a.results().string("signal-name", "a signal"));
                else if (reason.equals("exited-normally")) exit = ProcessExit.exited(0);
                else if (reason.equals("exited")) exit = ProcessExit.exited(Integer.parseInt(a.results().string("exit-code", "0"), 8));
            }
        });
        // gdb can die on its own (gdb 13.1 aborts now and then on an internal assertion in non-stop mode):
        // the kernel then detaches the target, which may be left in a stop; never leave it so
        mi.onExit().thenRun(() -> {
            if (!detached && rescue.inProcess()) releaseTarget();
        });
        // and should jhtrace die with gdb, a guardian outside both does the same
        this.guardian = !stoppedBeforeAttach && rescue.guardian()
                ? StopGuardian.start(mi.pid(), pid, true, userStopsRespected ? userStopMarker : null).orElse(null) : null;
    }

    /** A path in a folder of jhtrace's own (owner-only), not yet created; null when no folder can be made. */
    private static Path userStopMarker() {
        try {
            return Files.createTempDirectory("jhtrace-gdb-").resolve("user-stop-held");
        } catch (IOException | UnsupportedOperationException e) {
            return null; // the rescues then cannot tell a held job-control stop from gdb's: as before the marker
        }
    }

    /** True when the stop the target sits in is one it was sent and gdb held for it, now or when gdb died. */
    private boolean userStopHeld() {
        return userStopsRespected && userStopMarker != null && Files.exists(userStopMarker);
    }

    /** The marker's folder is the guardian's to delete once it has looked; jhtrace's when there is no guardian. */
    private void deleteMarkerUnlessGuardian() {
        if ((guardian != null && userStopsRespected) || userStopMarker == null) return;
        try {
            Files.deleteIfExists(userStopMarker);
            Files.deleteIfExists(userStopMarker.getParent());
        } catch (IOException ignored) {
            // an empty folder left in the temporary folder harms nothing
        }
    }

    /** Waits until the rescues have finished (the guardian exited; jhtrace's own returned). For the tests. */
    boolean awaitRescues(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            if (guardian != null) guardian.onExit().get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (rescue.inProcess()) released.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Which rescues of a target left stopped are on; only tests switch them off, to prove each one. */
    enum Rescue {
        /** jhtrace continues the target when gdb dies or detaches, and a guardian does when both are gone. */
        FULL(true, true),
        /** Only the guardian (as when jhtrace itself is dead). */
        GUARDIAN_ONLY(false, true),
        /** Only jhtrace's own (as when the guardian could not start). */
        IN_PROCESS_ONLY(true, false),
        /** None (the control). */
        NONE(false, false);

        private final boolean inProcess;
        private final boolean guardian;

        Rescue(boolean inProcess, boolean guardian) {
            this.inProcess = inProcess;
            this.guardian = guardian;
        }

        boolean inProcess() {
            return inProcess;
        }

        boolean guardian() {
            return guardian;
        }
    }

    /**
     * Starts gdb and attaches it to {@code pid}.
     *
     * @param resume true to let the target run again at once; false to leave it stopped for {@link #resume()}
     * @param ourStop true when the target is in a job-control stop jhtrace made (launch); it is ended on detach
     *
     * @throws JhtraceException TARGET_NOT_FOUND, PERMISSION_DENIED (with what to do) or ENGINE_UNAVAILABLE
     */
    public static GdbProcess attach(GdbInstallation gdb, int pid, boolean resume, boolean ourStop) {
        return attach(gdb, pid, resume, ourStop, List.of(), Rescue.FULL, true);
    }

    /** As {@link #attach(GdbInstallation, int, boolean, boolean)}, with folders of separate debug files searched first. */
    public static GdbProcess attach(GdbInstallation gdb, int pid, boolean resume, boolean ourStop, List<String> symbolPath) {
        return attach(gdb, pid, resume, ourStop, symbolPath, Rescue.FULL, true);
    }

    static GdbProcess attach(GdbInstallation gdb, int pid, boolean resume, boolean ourStop, Rescue rescue) {
        return attach(gdb, pid, resume, ourStop, List.of(), rescue, true);
    }

    /** As the others; {@code userStopsRespected} false only for the control that proves why it is true. */
    static GdbProcess attach(GdbInstallation gdb, int pid, boolean resume, boolean ourStop, Rescue rescue, boolean userStopsRespected) {
        return attach(gdb, pid, resume, ourStop, List.of(), rescue, userStopsRespected);
    }

    private static GdbProcess attach(GdbInstallation gdb, int pid, boolean resume, boolean ourStop, List<String> symbolPath, Rescue rescue,
            boolean userStopsRespected) {
        LinuxProcess target = new LinuxProcess(pid);
        target.checkAttachable();
        GdbMi mi = GdbMi.start(gdb.executable(), COMMAND_TIMEOUT_MILLIS);
        GdbProcess g = new GdbProcess(mi, pid, target.isStopped() && !ourStop, rescue, userStopsRespected);
        try {
            for (String c : new String[] {"-gdb-set mi-async on", "-gdb-set non-stop on", "-gdb-set pagination off",
                    "-gdb-set confirm off", "-gdb-set print thread-events off", "-gdb-set auto-load safe-path /",
                    // every signal goes straight on to the target with its normal effect (handler, ignore, default
                    // action): gdb never holds a thread stopped for one. "all" leaves out SIGINT and SIGTRAP; SIGINT
                    // is the target's too (gdb runs in a session of its own, so its interrupts never use it)
                    "-interpreter-exec console \"handle all nostop noprint pass\"",
                    "-interpreter-exec console \"handle SIGINT nostop noprint pass\"",
                    // job-control stops are the helper's (JobControl): it lets each delivery through and holds the
                    // group-stop that follows until a SIGCONT, as the kernel does untraced ("stop" implies "print")
                    JOB_CONTROL_STOPS}) {
                mi.call(c, COMMAND_TIMEOUT_MILLIS);
            }
            // never fetch debug info over the network in the middle of an attach (gdb >= 12 asks or downloads)
            mi.execute("-gdb-set debuginfod enabled off", COMMAND_TIMEOUT_MILLIS);
            if (!symbolPath.isEmpty()) {
                // the user's folders first, gdb's own default after: separate debug files by build-id or debuglink
                // through the console: -gdb-set would keep MI quotes as part of the value
                mi.call("-interpreter-exec console " + GdbMi.quote("set debug-file-directory " + String.join(":", symbolPath) + ":/usr/lib/debug"), COMMAND_TIMEOUT_MILLIS);
            }
            // launch: swallow the trampoline's own SIGSTOP so the shell runs straight on to its exec
            if (ourStop) mi.call("-interpreter-exec console \"handle SIGSTOP nostop noprint nopass\"", COMMAND_TIMEOUT_MILLIS);
            sourceHelper(mi);
            if (g.userStopMarker != null) mi.call("-jhtrace-job-stop-marker " + GdbMi.quote(g.userStopMarker.toString()), COMMAND_TIMEOUT_MILLIS);
            // holds-stdin="0" (gdb running as another user cannot reopen our pipe): EOF then makes gdb quit and detach
            mi.call("-jhtrace-watchdog " + ProcessHandle.current().pid(), COMMAND_TIMEOUT_MILLIS);
            MiResponse r = mi.execute("-target-attach " + pid, 60_000);
            if (r.isError()) throw attachFailure(pid, r.result().errorMessage());
            g.awaitAllStopped(30_000);
            if (resume) g.resume();
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private static JhtraceException attachFailure(int pid, String gdbMessage) {
        String m = gdbMessage.toLowerCase(Locale.ROOT);
        if (m.contains("operation not permitted") || m.contains("permission")) {
            int tracer = new LinuxProcess(pid).tracerPid();
            if (tracer != 0) return new JhtraceException(Failure.PERMISSION_DENIED, "process " + pid + " is already traced by pid " + tracer);
            return new JhtraceException(Failure.PERMISSION_DENIED, "not allowed to attach to pid " + pid
                    + ": run as the same user or root, and check kernel.yama.ptrace_scope (0 allows attaching to non-children)");
        }
        if (m.contains("no such process")) return new JhtraceException(Failure.TARGET_NOT_FOUND, "no process with pid " + pid);
        return new JhtraceException(Failure.OTHER, "gdb could not attach to pid " + pid + ": " + gdbMessage);
    }

    /**
     * Loads the helper script into gdb from a temporary copy, deleted as soon as gdb has read it (gdb keeps
     * the Python code in memory), so that no copy is left behind even when jhtrace is killed later.
     */
    private static void sourceHelper(GdbMi mi) {
        Path f = null;
        try (InputStream in = GdbProcess.class.getResourceAsStream(HELPER)) {
            if (in == null) throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "this build lacks " + HELPER);
            f = Files.createTempFile("jhtrace-gdb-", ".py");
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
            // readable by a gdb running as another user (e.g. through a wrapper); it holds no secret
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            mi.call("-interpreter-exec console " + GdbMi.quote("source " + f), COMMAND_TIMEOUT_MILLIS);
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot write the gdb helper: " + e.getMessage(), e);
        } finally {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a stray copy in the temporary folder harms nothing
                }
            }
        }
    }

    /** The MI connection, for the tracing and symbol layers. */
    @Override
    public GdbMi mi() {
        return mi;
    }

    @Override
    public int pid() {
        return pid;
    }

    /** True once gdb saw the target exit, or the target is gone. */
    @Override
    public boolean targetExited() {
        return exited || !new LinuxProcess(pid).isAlive();
    }

    /** How the target ended, when gdb saw it end. */
    public Optional<ProcessExit> exit() {
        return Optional.ofNullable(exit);
    }

    /**
     * Why gdb is gone while jhtrace did not end it and the target lives on (its trace is then incomplete), or
     * empty: "gdb died (killed by SIGKILL)", with the last lines gdb wrote (an assertion) when there are any.
     */
    public Optional<String> failure() {
        if (detached || mi.isAlive() || !new LinuxProcess(pid).isAlive()) return Optional.empty();
        String how;
        try {
            how = describeExit(mi.onExit().get(1, java.util.concurrent.TimeUnit.SECONDS).exitValue());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            how = "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            how = "";
        }
        String said = mi.stderrTail();
        return Optional.of("gdb died" + how + (said.isBlank() ? "" : ": " + said));
    }

    /** Java reports a death by signal as 128 + the signal's number. */
    private static String describeExit(int status) {
        if (status > 128 && status < 128 + 32) return " (killed by " + SignalNames.name(status - 128) + ")";
        return " (exit status " + status + ")";
    }

    /** True while gdb is running and attached. */
    @Override
    public boolean isAttached() {
        return !detached && !exited && mi.isAlive();
    }

    /**
     * Runs {@code action} with every thread of the target stopped, then resumes them all. Used for
     * changes that take effect only when a thread resumes (installing the syscall catchpoint).
     */
    @Override
    public <T> T withAllStopped(Supplier<T> action) {
        mi.call("-exec-interrupt --all", COMMAND_TIMEOUT_MILLIS);
        try {
            awaitAllStopped(COMMAND_TIMEOUT_MILLIS);
            return action.get();
        } finally {
            if (!targetExited()) resume();
        }
    }

    /** Passes SIGSTOP on to the target again (after a launch's trampoline has exec'd), a job-control stop as the others. */
    public void passStopSignals() {
        mi.call(JOB_CONTROL_STOPS, COMMAND_TIMEOUT_MILLIS);
    }

    /** True while the target sits in a job-control stop it was sent (SIGSTOP, SIGTSTP...), waiting for SIGCONT. */
    public boolean inJobControlStop() {
        try {
            return mi.isAlive() && !"0".equals(mi.call("-jhtrace-job-stop", COMMAND_TIMEOUT_MILLIS).string("held", "0"));
        } catch (JhtraceException e) {
            return false;
        }
    }

    /** Resumes every thread of the target. */
    public void resume() {
        MiResponse r = mi.execute("-exec-continue --all", COMMAND_TIMEOUT_MILLIS);
        if (r.isError() && !targetExited()) throw new JhtraceException(Failure.OTHER, "gdb could not resume pid " + pid + ": " + r.result().errorMessage());
    }

    void awaitAllStopped(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            MiTuple info = mi.call("-thread-info", COMMAND_TIMEOUT_MILLIS);
            boolean running = false;
            for (MiValue t : info.list("threads")) {
                if ("running".equals(t.asTuple().string("state"))) running = true;
            }
            if (!running || targetExited()) return;
            if (System.nanoTime() > deadline) throw new JhtraceException(Failure.OTHER, "gdb could not stop pid " + pid + " within " + timeoutMillis + " ms");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JhtraceException(Failure.OTHER, "interrupted while stopping pid " + pid, e);
            }
        }
    }

    /** Detaches (the target runs on with every descriptor) and ends gdb. Idempotent; never kills the target. */
    @Override
    public void close() {
        if (!detached && mi.isAlive()) {
            detached = true;
            // detached, a group-stop goes on as a plain stop (state T): the target was told to stop, not by us
            jobStopped = !exited && inJobControlStop();
            if (!exited) {
                try {
                    // Remove the catchpoint first, with the threads running, and give them a moment: gdb 13.1
                    // aborts (infrun.c resume_1: !tp->stop_requested) when an interrupt races a syscall stop,
                    // and threads leave syscall tracing at their next syscall once no catchpoint is left.
                    mi.execute("-jhtrace-disable", COMMAND_TIMEOUT_MILLIS);
                    sleepMillis(100);
                    // detaching while threads run can hang in gdb 13 non-stop mode: stop them all first
                    mi.execute("-exec-interrupt --all", COMMAND_TIMEOUT_MILLIS);
                    awaitAllStopped(5_000);
                } catch (JhtraceException e) {
                    // detach anyway
                }
                try {
                    mi.execute("-target-detach", COMMAND_TIMEOUT_MILLIS);
                } catch (JhtraceException e) {
                    // gdb stuck or gone: quitting it below still detaches (gdb detaches attached processes on exit)
                }
            }
        }
        detached = true;
        mi.close();
        if (rescue.inProcess()) releaseTarget();
        deleteMarkerUnlessGuardian();
    }

    /**
     * Continues the target if it sits in a stop after gdb let go of it: gdb re-delivers a SIGSTOP it still
     * holds from attaching when it detaches, and a gdb that dies leaves stopped threads behind. A target
     * that was running before must run after.
     */
    /** How long the target must have run with no thread stopped before the rescue ends. */
    private static final long RELEASE_STABLE_MILLIS = 100;
    /** The rescue's limit, for a target that keeps being stopped by someone else. */
    private static final long RELEASE_WATCH_MILLIS = 10_000;

    private void releaseTarget() {
        try {
            releaseUnlessStoppedByRight();
        } finally {
            deleteMarkerUnlessGuardian();
            released.complete(null);
        }
    }

    private void releaseUnlessStoppedByRight() {
        // a stop the target had before, or was sent while traced (gdb held it; the marker outlives a gdb that
        // died), is not ours to end: untraced, it would last until a SIGCONT
        if (stoppedBeforeAttach || jobStopped || userStopHeld()) return;
        LinuxProcess t = new LinuxProcess(pid);
        // a pending SIGSTOP stops the target when a thread next runs, not at once: watch until no thread has
        // been stopped for a while, rather than for a fixed time
        long deadline = System.nanoTime() + RELEASE_WATCH_MILLIS * 1_000_000L;
        long runningSince = System.nanoTime();
        while (t.isAlive() && System.nanoTime() < deadline) {
            int tracer = t.tracerPid();
            if (tracer != 0 && tracer != mi.pid()) return; // another debugger's now: not ours to touch
            if (t.anyThreadStopped()) {
                if (tracer == 0) t.sendContinue();
                runningSince = System.nanoTime();
            } else if (System.nanoTime() - runningSince >= RELEASE_STABLE_MILLIS * 1_000_000L) {
                return;
            }
            sleepMillis(5);
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
