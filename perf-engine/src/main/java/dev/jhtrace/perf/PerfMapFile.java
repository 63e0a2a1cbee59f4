package dev.jhtrace.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JIT's symbol file, {@code /tmp/perf-PID.map} ("START SIZE NAME" in hex, one line per piece of code, as perf reads
 * it), as a JVM writes it on {@code jcmd PID Compiler.perfmap}. Names a Java method as the gdb engine does: without
 * its return type ({@code LeakyJava.leakOne(java.lang.String, boolean)}); a stub ({@code Interpreter}) as it is.
 */
final class PerfMapFile {
    private static final Pattern JAVA_METHOD = Pattern.compile("^\\S+ ([\\w$.<>]+\\(.*\\))$");
    private final long[] starts;
    private final long[] ends;
    private final String[] names;

    private PerfMapFile(long[] starts, long[] ends, String[] names) {
        this.starts = starts;
        this.ends = ends;
        this.names = names;
    }

    /**
     * The map of {@code pid} in {@code dir}, when it is there and was written at {@code notBefore} or later (a map left
     * by an earlier process with the same pid would name other code).
     */
    static Optional<PerfMapFile> of(Path dir, int pid, Instant notBefore) {
        Path path = dir.resolve("perf-" + pid + ".map");
        try {
            // 1 s: a process's start time is known to the clock tick, a file's time to the file system's grain
            if (Files.getLastModifiedTime(path).toInstant().isBefore(notBefore.minusSeconds(1))) return Optional.empty();
            return Optional.of(read(path));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private record Entry(long start, long end, String name) {
    }

    static PerfMapFile read(Path path) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] parts = line.split(" ", 3);
                if (parts.length < 3) continue;
                try {
                    long start = Long.parseUnsignedLong(strip(parts[0]), 16);
                    entries.add(new Entry(start, start + Long.parseUnsignedLong(strip(parts[1]), 16), parts[2]));
                } catch (NumberFormatException e) {
                    // not an entry
                }
            }
        }
        // by start, the newest of equal starts last (a stable sort; code cache space is reused: the later line is live)
        entries.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return new PerfMapFile(entries.stream().mapToLong(Entry::start).toArray(), entries.stream().mapToLong(Entry::end).toArray(),
                entries.stream().map(Entry::name).toArray(String[]::new));
    }

    private static String strip(String hex) {
        return hex.startsWith("0x") ? hex.substring(2) : hex;
    }

    /** The index of the code holding {@code pc}, or -1. */
    int find(long pc) {
        // the last entry starting at or below pc (of equal starts the last, the newest)
        int lo = 0, hi = starts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], pc) <= 0) lo = mid + 1;
            else hi = mid;
        }
        int i = lo - 1;
        // overlapping entries (reused code cache space): look back a little for the one that holds pc
        for (int j = i; j >= 0 && j > i - 8; j--) {
            if (Long.compareUnsigned(starts[j], pc) <= 0 && Long.compareUnsigned(pc, ends[j]) < 0) return j;
        }
        return -1;
    }

    long start(int index) {
        return starts[index];
    }

    /** The name of entry {@code index}, a Java method without its return type. */
    String name(int index) {
        return javaMethod(names[index]);
    }

    /** {@code void Leak.leakOne(java.lang.String, boolean)} to {@code Leak.leakOne(java.lang.String, boolean)}; a stub's name as it is. */
    static String javaMethod(String name) {
        Matcher m = JAVA_METHOD.matcher(name);
        return m.matches() ? m.group(1) : name;
    }
}
