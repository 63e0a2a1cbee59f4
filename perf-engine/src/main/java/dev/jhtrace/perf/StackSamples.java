package dev.jhtrace.perf;

import dev.jhtrace.model.StackTrace;
import dev.jhtrace.proc.JvmPerfMap;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stacks unwound afterwards, only those a report needs (heaptrack's idea: record raw, symbolize afterwards). The
 * decoder keeps each creation event's raw sample (user registers and stack bytes) while its descriptor is open; to
 * unwind some, a pipe-mode stream is rebuilt (perf's header records and every side-band record kept: MMAP, MMAP2, COMM,
 * FORK, EXIT ..., merged in stream order with only the chosen samples) and fed to {@code perf script}, so perf's own
 * unwinder and symbols do the work, on a few samples instead of every one.
 *
 * <p>Bounded: raw samples kept take at most {@link #MAX_RAW_BYTES} (beyond, a new sample's stack is not kept and is
 * counted); the side-band kept drops the records of exited processes no held sample or live child needs once it passes
 * {@link #MAX_SIDE_BAND_BYTES}, and keeps no more beyond that. Thread-safe.
 */
final class StackSamples {
    /** Raw samples held before a background unwind of those still held is due: about 28,000 samples of 2 KiB stacks. */
    static final long UNWIND_DUE_BYTES = 64L << 20;
    static final long MAX_RAW_BYTES = 192L << 20;
    static final long MAX_SIDE_BAND_BYTES = 64L << 20;

    private static final int COMM = 3;
    private static final int FORK = 7;
    private static final int MISC_EXEC = 1 << 13; // PERF_RECORD_MISC_COMM_EXEC, PERF_RECORD_MISC_FORK_EXEC
    private static final long NO_PARENT = Integer.MAX_VALUE; // above any pid_max

    private record Kept(long sequence, int pid, byte[] record) {
    }

    private record Key(int tid, long monoNanos) {
    }

    private final PerfInstallation installation;
    private final int maxFrames;
    private final long unwindDueBytes;
    private final long maxRawBytes;
    private final long maxSideBandBytes;
    private final SourceLines sourceLines = new SourceLines(); // the unwinding's, under unwinding
    private final Object unwinding = new Object(); // one perf script at a time
    private ArrayList<Kept> kept = new ArrayList<>(); // header and side-band records, in stream order
    private long keptBytes;
    // raw samples held, not unwound yet, each at its RawStack.heldAt: no entry object per sample (hundreds of thousands a second)
    private final ArrayList<RawStack> held = new ArrayList<>();
    // pid -> its held samples; a count that falls to 0 stays (the next open would make it anew) until compact()
    private final Map<Integer, int[]> heldPerPid = new HashMap<>();
    private int countPid; // the last pid counted, and its count: no boxed pid per sample
    private int[] count;
    private final Set<Integer> exited = new HashSet<>();
    private final Map<Integer, Integer> parents = new HashMap<>(); // forked process -> parent, until both exited
    private static final Path PERF_MAP_DIR = Path.of("/tmp"); // where JITs write perf-PID.map, and perf reads it
    private final Set<Integer> unanswered = new HashSet<>(); // JVMs that did not write their map when asked; under unwinding
    private volatile FrameWalks walks = FrameWalks.ALL;
    private long rawBytes;
    private long stacksNotKept; // samples whose stack the bound did not keep
    private long sideBandNotKept;
    private String lastError;

    StackSamples(PerfInstallation installation, int maxFrames) {
        this(installation, maxFrames, UNWIND_DUE_BYTES, MAX_RAW_BYTES, MAX_SIDE_BAND_BYTES);
    }

    /** These samples, with only {@code walks} finding the frames perf's unwinder does not (tests: the controls). */
    StackSamples walking(FrameWalks walks) {
        this.walks = walks;
        return this;
    }

    /** With other bounds (tests). */
    StackSamples(PerfInstallation installation, int maxFrames, long unwindDueBytes, long maxRawBytes, long maxSideBandBytes) {
        this.installation = installation;
        this.maxFrames = maxFrames;
        this.unwindDueBytes = unwindDueBytes;
        this.maxRawBytes = maxRawBytes;
        this.maxSideBandBytes = maxSideBandBytes;
    }

    synchronized void header(long sequence, byte[] record) {
        kept.add(new Kept(sequence, -1, record));
        keptBytes += record.length;
    }

    synchronized void sideBand(long sequence, byte[] record, int type, int pid, boolean processExit) {
        if (type == 7 && pid != Le.u32(record, 12)) { // FORK of a process, not of a thread
            parents.put(pid, (int) Le.u32(record, 12));
            exited.remove(pid);
        }
        if (processExit) exited.add(pid);
        if (keptBytes + record.length > maxSideBandBytes) compact();
        if (keptBytes + record.length > maxSideBandBytes) {
            sideBandNotKept++;
            return;
        }
        byte[] fresh = type == COMM && (Le.u16(record, 4) & MISC_EXEC) != 0 ? freshThreadAtExec(record) : null;
        if (fresh != null) {
            kept.add(new Kept(sequence, pid, fresh));
            keptBytes += fresh.length;
        }
        kept.add(new Kept(sequence, pid, record));
        keptBytes += record.length;
    }

    /**
     * A FORK record that makes perf script start the exec'ing process afresh, put just before its exec's COMM record
     * (same time stamp: perf keeps the order of records with equal times). Without it perf script unwinds what the
     * process runs after an exec with the maps of before still there, and loses the new program's frames (a launch,
     * traced from its shell at the gate, showed no frame of the program's main). perf marks the FORK records it
     * synthesizes for running processes so, and then does not copy the parent's maps: the thread starts with none, and
     * the exec's MMAP records that follow fill it. Samples from before the exec are unwound before it, with the old maps.
     *
     * @param comm a COMM record of an exec: pid, tid, the name NUL-padded to 8 bytes, then the sample id fields
     * @return the FORK record, with the COMM's sample id fields; null when the COMM is malformed
     */
    static byte[] freshThreadAtExec(byte[] comm) {
        int end = 16;
        while (end < comm.length && comm[end] != 0) end++;
        int idAt = 16 + ((end - 16 + 1 + 7) & ~7);
        if (idAt > comm.length) return null;
        int idLength = comm.length - idAt;
        byte[] fork = new byte[8 + 24 + idLength];
        Le.put32(fork, 0, FORK);
        Le.put16(fork, 4, MISC_EXEC); // misc, as on perf's own synthesized FORK: the parent's maps are not copied
        Le.put16(fork, 6, fork.length);
        long pid = Le.u32(comm, 8);
        Le.put32(fork, 8, pid); // pid
        Le.put32(fork, 12, NO_PARENT); // ppid: a process perf script has not seen
        Le.put32(fork, 16, Le.u32(comm, 12)); // tid
        Le.put32(fork, 20, NO_PARENT); // ptid
        Le.put64(fork, 24, 0); // time: perf script orders by the sample id's
        System.arraycopy(comm, idAt, fork, 32, idLength);
        return fork;
    }

    /** Drops the side-band of exited processes that neither a held sample nor a live child needs. */
    private void compact() {
        heldPerPid.values().removeIf(n -> n[0] == 0);
        count = null;
        Set<Integer> needed = new HashSet<>(heldPerPid.keySet());
        parents.forEach((child, parent) -> {
            if (!exited.contains(child)) needed.add(parent);
        });
        Set<Integer> gone = new HashSet<>(exited);
        gone.removeAll(needed);
        if (gone.isEmpty()) return;
        ArrayList<Kept> rest = new ArrayList<>(kept.size());
        long bytes = 0;
        for (Kept k : kept) {
            if (k.pid >= 0 && gone.contains(k.pid)) continue;
            rest.add(k);
            bytes += k.record.length;
        }
        kept = rest; // a new list: an unwinding may be reading the old one
        keptBytes = bytes;
        exited.removeAll(gone);
        parents.keySet().removeAll(gone);
    }

    /**
     * One more descriptor made by {@code stack}'s call (a pipe's two share one sample); false when the bound does not
     * keep its bytes (the event goes without a stack).
     */
    synchronized boolean hold(RawStack stack) {
        if (stack.holders++ > 0) return stack.hasBytes() || stack.resolved != null;
        if (!stack.hasBytes() || rawBytes + stack.length() > maxRawBytes) {
            stack.drop();
            stack.resolved = StackTrace.EMPTY;
            stacksNotKept++;
            return false;
        }
        stack.heldAt = held.size();
        held.add(stack);
        countOf(stack.pid)[0]++;
        rawBytes += stack.length();
        return true;
    }

    /**
     * The stream's bytes behind these raw stacks are about to be reused: those a descriptor holds take a copy; the rest
     * (closed already, or of no traced event) let them go.
     */
    synchronized void detach(List<RawStack> stacks) {
        for (RawStack s : stacks) {
            if (s.holders > 0) s.detach();
            else s.drop();
        }
    }

    /** Its descriptor closed: the raw sample goes once no descriptor it made is open. */
    synchronized void release(RawStack stack) {
        if (--stack.holders > 0) return;
        if (unhold(stack)) {
            rawBytes -= stack.length();
            unheld(stack);
        }
        stack.drop();
    }

    /** Whether enough raw samples are held for a background unwind to be due. */
    synchronized boolean unwindDue() {
        return rawBytes > unwindDueBytes;
    }

    /** Raw samples held now (for tests and the benchmark). */
    synchronized int heldSamples() {
        return held.size();
    }

    /** Raw samples held now of process {@code pid}. */
    synchronized int heldSamples(int pid) {
        int[] n = heldPerPid.get(pid);
        return n == null ? 0 : n[0];
    }

    synchronized long heldBytes() {
        return rawBytes;
    }

    /** Bytes of header and side-band records kept (for tests). */
    synchronized long keptBytes() {
        return keptBytes;
    }

    /** Samples whose stack was not kept (bounds), and side-band records not kept. */
    synchronized long[] notKept() {
        return new long[] {stacksNotKept, sideBandNotKept};
    }

    synchronized String lastError() {
        return lastError;
    }

    /**
     * Unwinds every held sample with one {@code perf script}: each gets its {@link RawStack#resolved} stack (empty when
     * perf could not unwind it) and lets its bytes go.
     *
     * @return the samples unwound now
     */
    List<RawStack> unwindHeld() {
        synchronized (unwinding) {
            List<RawStack> chosen;
            List<Kept> records;
            synchronized (this) {
                chosen = new ArrayList<>(held);
                chosen.sort(java.util.Comparator.comparingLong(s -> s.sequence)); // held in time order: fed in stream order
                records = new ArrayList<>(kept);
            }
            if (chosen.isEmpty()) return List.of();
            Map<Key, StackTrace> stacks = new HashMap<>();
            byte[][] bytes = new byte[chosen.size()][];
            synchronized (this) {
                for (int i = 0; i < bytes.length; i++) bytes[i] = chosen.get(i).bytes(); // null: released meanwhile
            }
            Map<Integer, Optional<PerfMapFile>> maps = jitMaps(chosen);
            String error = run(records, chosen, bytes, stacks);
            // the frames perf's unwinder cannot find, from the stack copies: a JVM's compiled and interpreted code, a Go program's
            StackTrace[] resolved = new StackTrace[bytes.length];
            Map<Integer, Optional<GoFrames.Program>> goPrograms = new HashMap<>();
            Map<Integer, Optional<HotSpotMethods>> jvms = new HashMap<>(); // read only when an interpreted frame needs it
            FrameWalks walks = this.walks;
            try {
                for (int i = 0; i < bytes.length; i++) {
                    RawStack s = chosen.get(i);
                    StackTrace t = stacks.get(new Key(s.tid, s.monoNanos));
                    if (t == null) continue;
                    int pid = s.pid;
                    t = JitFrames.complete(t, maps.getOrDefault(pid, Optional.empty()), bytes[i], s.stackAt(), s.sp, maxFrames,
                            () -> walks.interpretedJava() ? jvms.computeIfAbsent(pid, HotSpotMethods::of) : Optional.empty());
                    Optional<GoFrames.Program> go = walks.go() ? goPrograms.computeIfAbsent(pid, GoFrames.Program::of) : Optional.empty();
                    if (go.isPresent()) t = GoFrames.complete(t, go.get(), bytes[i], s.stackAt(), s.sp, s.bp, maxFrames, sourceLines);
                    resolved[i] = t;
                }
            } finally {
                jvms.values().forEach(m -> m.ifPresent(HotSpotMethods::close));
            }
            synchronized (this) {
                if (error != null) lastError = error;
                for (int i = 0; i < bytes.length; i++) {
                    RawStack s = chosen.get(i);
                    StackTrace t = resolved[i];
                    s.resolved = t != null ? t : StackTrace.EMPTY;
                    if (unhold(s)) {
                        rawBytes -= s.length();
                        unheld(s);
                    }
                    s.drop();
                }
                heldPerPid.values().removeIf(n -> n[0] == 0); // processes holding nothing now
                count = null;
            }
            return chosen;
        }
    }

    /**
     * The perf maps of the JVMs among {@code chosen}'s processes, each live one asked first to write its map afresh
     * (perf script names JIT frames from it, {@link JitFrames} the frames beyond). A map must be newer than its process's
     * start, or, the process gone (a JVM run with -XX:+DumpPerfMapAtExit writes it as it exits), than its first sample.
     */
    private Map<Integer, Optional<PerfMapFile>> jitMaps(List<RawStack> chosen) {
        Map<Integer, Optional<PerfMapFile>> maps = new HashMap<>();
        for (RawStack s : chosen) {
            if (maps.containsKey(s.pid)) continue;
            Optional<ProcessHandle> process = ProcessHandle.of(s.pid);
            Instant notBefore;
            if (process.isPresent()) {
                // only a JVM is asked; one that did not answer (no jcmd, attach disabled: jcmd waits 10 s) not again
                if (!unanswered.contains(s.pid) && JvmPerfMap.isJvm(s.pid) && !JvmPerfMap.request(s.pid)) unanswered.add(s.pid);
                notBefore = process.get().info().startInstant().orElse(Instant.EPOCH);
            } else {
                notBefore = Instant.now().minusNanos(System.nanoTime() - s.monoNanos); // perf's clock is CLOCK_MONOTONIC, as nanoTime
            }
            maps.put(s.pid, PerfMapFile.of(PERF_MAP_DIR, s.pid, notBefore));
        }
        return maps;
    }

    private void unheld(RawStack stack) {
        countOf(stack.pid)[0]--;
    }

    /** Takes {@code stack} out of {@link #held} (the last one moves to its place); false when it was not there. */
    private boolean unhold(RawStack stack) {
        int at = stack.heldAt;
        if (at < 0 || at >= held.size() || held.get(at) != stack) return false;
        RawStack last = held.remove(held.size() - 1);
        if (last != stack) {
            held.set(at, last);
            last.heldAt = at;
        }
        stack.heldAt = -1;
        return true;
    }

    private int[] countOf(int pid) {
        if (count != null && countPid == pid) return count;
        int[] n = heldPerPid.computeIfAbsent(pid, p -> new int[1]);
        countPid = pid;
        count = n;
        return n;
    }

    /** Feeds perf script the rebuilt stream and reads its stacks; returns an error line, or null. */
    private String run(List<Kept> records, List<RawStack> chosen, byte[][] bytes, Map<Key, StackTrace> stacks) {
        List<String> cmd = List.of(installation.setpriv(), "--pdeathsig", "KILL", "--", installation.perf(), "script", "-i", "-", "--ns",
                "--no-inline", "--max-stack", Integer.toString(maxFrames + 8), "-F", "pid,tid,time,event,trace,ip,sym,symoff,dso");
        Process script;
        try {
            script = Spawner.start(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD));
        } catch (IOException e) {
            return "cannot start perf script: " + e.getMessage();
        }
        Thread writer = new Thread(() -> {
            try (OutputStream out = new BufferedOutputStream(script.getOutputStream(), 1 << 16)) {
                int i = 0;
                for (Kept k : records) {
                    while (i < chosen.size() && chosen.get(i).sequence < k.sequence) {
                        if (bytes[i] != null) out.write(bytes[i]);
                        i++;
                    }
                    out.write(k.record);
                }
                for (; i < chosen.size(); i++) if (bytes[i] != null) out.write(bytes[i]);
            } catch (IOException e) {
                // perf script gone: what it printed counts
            }
        }, "jhtrace-perf-unwind-feed");
        writer.setDaemon(true);
        writer.start();
        PerfScriptParser parser = new PerfScriptParser(r -> {
            if (r instanceof PerfRecord.Sample s) stacks.put(new Key(s.tid(), s.monoNanos()), s.frames().isEmpty() ? StackTrace.EMPTY : new StackTrace(s.frames()));
        }, maxFrames, sourceLines);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) parser.line(line);
            parser.finish();
            writer.join();
            int rc = script.waitFor();
            return rc == 0 ? null : "perf script exited with " + rc;
        } catch (IOException e) {
            script.destroyForcibly();
            return "perf script: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            script.destroyForcibly();
            return "interrupted while unwinding";
        }
    }

    void close() {
        synchronized (unwinding) {
            sourceLines.close();
        }
    }
}
