package dev.jhtrace.gdb;

import dev.jhtrace.gdb.mi.GdbMi;
import dev.jhtrace.proc.LinuxProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state the stop rescue exists for, reached deterministically: a 200-thread target whose every thread
 * has a SIGSTOP pending (as gdb's own interrupt leaves one) when gdb dies and jhtrace cannot help (as when
 * both are SIGKILLed together). The guardian must continue it; the control, without any rescue, shows the
 * target then stays stopped.
 */
class StopRescueTest {

    /**
     * Each rescue alone continues the target: the guardian (as when gdb and jhtrace die together) and jhtrace's own
     * (as when gdb dies alone and the guardian could not start).
     */
    @ParameterizedTest
    @EnumSource(value = GdbProcess.Rescue.class, names = {"GUARDIAN_ONLY", "IN_PROCESS_ONLY"})
    void eachRescueAloneContinuesATargetLeftStoppedWhenGdbDies(GdbProcess.Rescue rescue) throws Exception {
        try (Target t = Target.start()) {
            killGdbWithStopsPending(t.pid(), rescue);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (anyThreadStopped(t.pid()) && System.nanoTime() < deadline) Thread.sleep(20);
            assertFalse(anyThreadStopped(t.pid()), "running again: " + states(t.pid()));
            assertEquals(201, states(t.pid()).length(), "every thread still there");
            assertTrue(t.process().isAlive());
        }
    }

    @Test
    void withoutTheRescueTheSameDeathLeavesTheTargetStopped() throws Exception {
        try (Target t = Target.start()) {
            killGdbWithStopsPending(t.pid(), GdbProcess.Rescue.NONE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!anyThreadStopped(t.pid()) && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(anyThreadStopped(t.pid()), "the control reaches the stopped state: " + states(t.pid()));
            Thread.sleep(1500); // longer than the guardian needs to act: nothing does here
            assertTrue(states(t.pid()).chars().allMatch(c -> c == 'T'), "still stopped: " + states(t.pid()));
        }
    }

    /**
     * When jhtrace is SIGKILLed, gdb's new parent is init, which may reap it a second or more later (this
     * machine's does): the kernel let the target go when gdb exited, so the guardian must not wait for the
     * reaping. A stand-in for gdb becomes a zombie its parent never reaps; then the target stops.
     */
    @Test
    void theGuardianActsWhenGdbIsAZombieNotYetReaped() throws Exception {
        try (ZombieGdb gdb = ZombieGdb.start(); Stoppable target = Stoppable.start()) {
            StopGuardian.start(gdb.pid(), target.pid(), true, null).orElseThrow();
            gdb.awaitZombie();
            target.stop();
            assertNotEquals('T', target.awaitNotStopped(5), "continued while gdb is still a zombie");
            assertTrue(target.process().isAlive());
        }
    }

    @Test
    void withoutTheZombieCheckTheTargetStaysStoppedUntilGdbIsReaped() throws Exception {
        try (ZombieGdb gdb = ZombieGdb.start(); Stoppable target = Stoppable.start()) {
            StopGuardian.start(gdb.pid(), target.pid(), false, null).orElseThrow();
            gdb.awaitZombie();
            target.stop();
            Thread.sleep(1500); // longer than the guardian needs to act: it is still waiting for gdb here
            assertEquals('T', target.state(), "still stopped");
        }
    }

    /**
     * A stop the target was sent while traced (gdb holds it, as the kernel would untraced) is the target's: when
     * gdb then dies, each rescue leaves it stopped, and a SIGCONT continues it as it would without jhtrace.
     */
    @ParameterizedTest
    @EnumSource(value = GdbProcess.Rescue.class, names = {"GUARDIAN_ONLY", "IN_PROCESS_ONLY"})
    void aStopTheTargetWasSentOutlivesGdbsDeathUntilSigcont(GdbProcess.Rescue rescue) throws Exception {
        try (Stoppable target = Stoppable.start()) {
            GdbProcess gdb = killGdbHoldingAUserStop(target, rescue, true);
            assertTrue(gdb.awaitRescues(20_000), "the rescues finished");
            assertEquals('T', target.state(), "still stopped, as it was told");
            gdb.close();
            signal("CONT", target.pid());
            assertNotEquals('T', target.awaitNotStopped(10), "SIGCONT continues it");
        }
    }

    /** The control: rescues that cannot tell the target's own stop from gdb's continue it. */
    @ParameterizedTest
    @EnumSource(value = GdbProcess.Rescue.class, names = {"GUARDIAN_ONLY", "IN_PROCESS_ONLY"})
    void withoutTheMarkerTheRescuesEndTheTargetsOwnStop(GdbProcess.Rescue rescue) throws Exception {
        try (Stoppable target = Stoppable.start()) {
            GdbProcess gdb = killGdbHoldingAUserStop(target, rescue, false);
            assertTrue(gdb.awaitRescues(20_000), "the rescues finished");
            assertNotEquals('T', target.state(), "continued by a rescue");
            gdb.close();
        }
    }

    private static GdbProcess killGdbHoldingAUserStop(Stoppable target, GdbProcess.Rescue rescue, boolean userStopsRespected) throws Exception {
        GdbProcess gdb = GdbProcess.attach(GdbInstallation.fromEnvironment(), target.pid(), true, false, rescue, userStopsRespected);
        signal("STOP", target.pid());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!gdb.inJobControlStop() && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(gdb.inJobControlStop(), "gdb holds the stop");
        signal("KILL", (int) gdb.mi().pid());
        LinuxProcess t = new LinuxProcess(target.pid());
        while (t.tracerPid() != 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, t.tracerPid(), "the kernel let the target go when gdb died");
        return gdb;
    }

    private static void signal(String name, int pid) throws Exception {
        new ProcessBuilder("kill", "-" + name, Integer.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
    }

    /** A process that becomes a zombie after half a second, under a parent that never reaps it. */
    private record ZombieGdb(Process parent, int pid) implements AutoCloseable {
        static ZombieGdb start() throws IOException {
            Process p = new ProcessBuilder("/bin/sh", "-c", "sleep 0.5 & echo $!; exec sleep 60").start();
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return new ZombieGdb(p, Integer.parseInt(line.strip()));
        }

        void awaitZombie() throws Exception {
            LinuxProcess gdb = new LinuxProcess(pid);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (gdb.state() != 'Z' && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals('Z', gdb.state(), "the stand-in for gdb is a zombie");
        }

        @Override
        public void close() {
            parent.destroyForcibly();
        }
    }

    /** A sleeping single-threaded process, stopped as a pending SIGSTOP would stop it once gdb is gone. */
    private record Stoppable(Process process, int pid) implements AutoCloseable {
        static Stoppable start() throws IOException {
            Process p = new ProcessBuilder("sleep", "120").start();
            LinuxProcess t = new LinuxProcess((int) p.pid());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.state() != 'S' && System.nanoTime() < deadline) Thread.onSpinWait();
            return new Stoppable(p, (int) p.pid());
        }

        void stop() throws Exception {
            new ProcessBuilder("kill", "-STOP", Integer.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
            LinuxProcess t = new LinuxProcess(pid);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (t.state() != 'T' && System.nanoTime() < deadline) Thread.onSpinWait();
        }

        char state() {
            return new LinuxProcess(pid).state();
        }

        /** Its state once it is no longer stopped, or 'T' after {@code seconds}. */
        char awaitNotStopped(int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (state() == 'T' && System.nanoTime() < deadline) Thread.sleep(10);
            return state();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Attaches, stops every thread, queues a SIGSTOP on each (tgkill, syscall 234 on x86-64: gdb's own interrupt), then SIGKILLs gdb. */
    private static void killGdbWithStopsPending(int pid, GdbProcess.Rescue rescue) throws Exception {
        GdbProcess gdb = GdbProcess.attach(GdbInstallation.fromEnvironment(), pid, true, false, rescue);
        gdb.mi().call("-exec-interrupt --all", GdbProcess.COMMAND_TIMEOUT_MILLIS);
        gdb.awaitAllStopped(GdbProcess.COMMAND_TIMEOUT_MILLIS);
        gdb.mi().call("-interpreter-exec console " + GdbMi.quote("python import os, ctypes; [ctypes.CDLL(None).syscall(234, " + pid + ", int(t), 19) for t in os.listdir('/proc/"
                + pid + "/task')]"), GdbProcess.COMMAND_TIMEOUT_MILLIS);
        new ProcessBuilder("kill", "-KILL", Long.toString(gdb.mi().pid())).start().waitFor(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        LinuxProcess target = new LinuxProcess(pid);
        while (target.tracerPid() != 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, target.tracerPid(), "the kernel let the target go when gdb died");
    }

    private static boolean anyThreadStopped(int pid) throws IOException {
        return states(pid).chars().anyMatch(c -> c == 'T' || c == 't');
    }

    /** One state letter per thread. */
    private static String states(int pid) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Integer.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    sb.append(stat.charAt(stat.lastIndexOf(')') + 2));
                } catch (IOException gone) {
                    // a thread that ended between the listing and the read
                }
            }
        }
        return sb.toString();
    }

    /** examples/linux/threads.c with 200 threads that never leak. */
    private record Target(Process process, int pid) implements AutoCloseable {
        static Target start() throws IOException {
            Process p = new ProcessBuilder(List.of(LinuxExamples.build("threads").toString(), "120", "200", "1000000000"))
                    .redirectErrorStream(true).start();
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            int pid = Integer.parseInt(line.strip());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (states(pid).length() < 201 && System.nanoTime() < deadline) Thread.onSpinWait();
            return new Target(p, pid);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
