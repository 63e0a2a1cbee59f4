package dev.jhtrace.capture;

import dev.jhtrace.model.StackTable;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a capture directory (or one capture file). Lines that cannot be read are skipped and
 * counted, never fatal: after a crash the last line of the newest file is usually cut short. When a
 * directory holds several captures, the newest is read.
 */
public final class CaptureReader {
    private CaptureReader() {
    }

    /** Reads the newest capture in {@code path} (a directory or a single {@code .jsonl} file), with every handle entry. */
    public static Capture read(Path path) {
        return read(path, true);
    }

    /**
     * Reads the newest capture in {@code path}.
     *
     * @param keepEntries false to drop the handle entries of every record but the last of each segment (reports do not
     *                    need them, and a long capture holds millions), keeping memory proportional to the records
     */
    public static Capture read(Path path, boolean keepEntries) {
        List<Path> files;
        if (Files.isDirectory(path)) files = CaptureFiles.list(path);
        else if (Files.isRegularFile(path)) files = List.of(path);
        else throw new JhtraceException(Failure.BAD_INPUT, "no capture at " + path + ": give the capture directory");
        if (files.isEmpty()) throw new JhtraceException(Failure.BAD_INPUT, "no capture files (*" + CaptureFiles.SUFFIX + ") in " + path);

        List<String> problems = new ArrayList<>();
        int skipped = 0;
        List<Loaded> loaded = new ArrayList<>();
        StackTable stacks = new StackTable(); // one object per distinct stack, however many records repeat it
        for (Path f : files) {
            Loaded l = load(f, problems, keepEntries, stacks);
            skipped += l.skipped;
            if (l.header != null) loaded.add(l);
        }
        if (loaded.isEmpty()) throw new JhtraceException(Failure.BAD_INPUT, "no readable capture in " + path + ": " + String.join("; ", problems));
        CaptureHeader newest = loaded.stream().map(l -> l.header).max(Comparator.comparing(CaptureHeader::started)
                .thenComparing(CaptureHeader::captureId)).orElseThrow();
        String id = newest.captureId();
        int otherCaptures = (int) loaded.stream().map(l -> l.header.captureId()).filter(c -> !c.equals(id)).distinct().count();
        if (otherCaptures > 0) problems.add(otherCaptures + " older capture(s) in the same directory were not read");

        Map<Integer, java.util.TreeSet<Integer>> parts = new TreeMap<>();
        Map<Integer, Map<Long, CaptureRecord>> bySegment = new TreeMap<>();
        Map<Integer, Integer> pids = new LinkedHashMap<>();
        Map<Integer, String> commands = new LinkedHashMap<>();
        Map<Integer, String> names = new LinkedHashMap<>();
        int rotated = 0;
        CaptureHeader first = null;
        int fileCount = 0;
        for (Loaded l : loaded) {
            if (!l.header.captureId().equals(id)) continue;
            fileCount++;
            if (first == null || l.header.segment() < first.segment()) first = l.header;
            rotated = Math.max(rotated, l.header.rotatedFiles());
            pids.putIfAbsent(l.header.segment(), l.header.pid());
            if (l.header.command() != null) commands.putIfAbsent(l.header.segment(), l.header.command());
            if (l.header.name() != null) names.putIfAbsent(l.header.segment(), l.header.name());
            parts.computeIfAbsent(l.header.segment(), k -> new java.util.TreeSet<>()).add(l.header.part());
            Map<Long, CaptureRecord> records = bySegment.computeIfAbsent(l.header.segment(), s -> new TreeMap<>());
            for (CaptureRecord r : l.records) records.put(r.seq(), r);
        }
        // files missing from the sequence were rotated away (also those deleted after the newest header was written)
        int missing = 0;
        int lastSegment = parts.isEmpty() ? 0 : ((TreeMap<Integer, java.util.TreeSet<Integer>>) parts).lastKey();
        for (int seg = 1; seg <= lastSegment; seg++) {
            java.util.TreeSet<Integer> present = parts.get(seg);
            if (present == null) missing++; // a whole segment gone: at least one file
            else missing += present.last() - present.size();
        }
        rotated = Math.max(rotated, missing);
        List<Capture.Segment> segments = new ArrayList<>();
        bySegment.forEach((seg, records) -> segments.add(new Capture.Segment(seg, pids.get(seg), new ArrayList<>(records.values()),
                commands.get(seg), names.get(seg))));
        // processes judged each on its own: those of --all, or a target's children recorded beside it (the capture still
        // bears the target's name, from its own newest segment)
        boolean perProcess = false;
        CaptureHeader target = null;
        for (Loaded l : loaded) {
            if (!l.header.captureId().equals(id)) continue;
            if (l.header.allProcesses()) perProcess = true;
            else if (target == null || l.header.segment() > target.segment()) target = l.header;
        }
        String name = target != null ? target.name() : Capture.ALL_PROCESSES;
        return new Capture(id, name, newest.engine(), newest.tracing(), first.started(), newest.intervalMillis(),
                segments, fileCount, rotated, skipped, problems, perProcess);
    }

    private static CaptureRecord withoutEntries(CaptureRecord r) {
        if (r.entries().isEmpty()) return r;
        return r.withEntries(List.of());
    }

    private static CaptureRecord interned(CaptureRecord r, StackTable stacks) {
        if (r.groups().isEmpty()) return r;
        List<StackGroup> groups = new ArrayList<>(r.groups().size());
        for (StackGroup g : r.groups()) groups.add(g.withStack(stacks.intern(g.stack())));
        return r.withGroups(groups);
    }

    private static final class Loaded {
        CaptureHeader header;
        final List<CaptureRecord> records = new ArrayList<>();
        int skipped;
    }

    private static Loaded load(Path file, List<String> problems, boolean keepEntries, StackTable stacks) {
        Loaded l = new Loaded();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) continue;
                CaptureFormat.Line parsed;
                try {
                    parsed = CaptureFormat.parse(line);
                } catch (IllegalArgumentException e) {
                    l.skipped++;
                    problems.add(file.getFileName() + " line " + number + " skipped (" + e.getMessage() + ")");
                    continue;
                }
                if (parsed instanceof CaptureFormat.HeaderLine h) {
                    if (l.header == null) l.header = h.header();
                } else if (parsed instanceof CaptureFormat.RecordLine r) {
                    if (l.header == null) {
                        l.skipped++;
                        problems.add(file.getFileName() + " line " + number + " skipped (record before the header)");
                    } else {
                        CaptureRecord rec = r.record();
                        if (!keepEntries && !l.records.isEmpty()) l.records.set(l.records.size() - 1, withoutEntries(l.records.get(l.records.size() - 1)));
                        l.records.add(interned(rec, stacks));
                    }
                }
            }
            if (l.header == null) problems.add(file.getFileName() + " has no header line; skipped");
        } catch (IOException e) {
            problems.add("cannot read " + file.getFileName() + ": " + e.getMessage());
        }
        return l;
    }
}
