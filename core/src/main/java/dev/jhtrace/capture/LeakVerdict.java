package dev.jhtrace.capture;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Tells a steady leak from warm-up growth. For each series (all handles, each type, each stack) it fits
 * a least-squares line through the later part of a segment: a leak keeps growing there, fitting the line
 * well (R²), by more than a few handles; warm-up growth has stopped by then. A later part still rising but
 * clearly slowing (its second half growing at under a quarter of its first half's rate) levels off too.
 *
 * @param minRecords   fewest records a segment needs to be judged
 * @param lateFraction the later part: this fraction of the segment's time span, at its end
 * @param minRSquared  least R² for a rise to count as steady
 * @param minRise      least fitted rise, in handles, over the later part for a leak
 */
public record LeakVerdict(int minRecords, double lateFraction, double minRSquared, double minRise) {
    /** At least 6 records; the later half; R² at least 0.8; at least 3 handles more over that half. */
    public static final LeakVerdict DEFAULT = new LeakVerdict(6, 0.5, 0.8, 3);

    private static final double DECELERATION = 0.25;

    /**
     * Judges every segment; the capture leaks when any segment does. For a capture of every process, the verdict is
     * the fastest leaking process's (or, with none leaking, the fastest growing one's), its summary naming the process
     * and how many leak ({@link #judgeEach} has them all).
     */
    public Verdict judge(Capture capture) {
        if (capture.allProcesses()) {
            List<ProcessVerdict> each = judgeEach(capture);
            if (!each.isEmpty()) {
                ProcessVerdict top = each.get(0);
                long leaking = each.stream().filter(p -> p.verdict().leak()).count();
                Verdict v = top.verdict();
                String summary = (leaking > 0 ? leaking + " of " + each.size() + " processes leak; " + top.process() + ": "
                        : "no leak in " + each.size() + " processes; the fastest growing, " + top.process() + ": ") + v.summary();
                return new Verdict(v.leak(), summary, v.segment(), v.total(), v.types(), v.stacks(), each);
            }
        }
        return judgeSegments(capture);
    }

    /**
     * Each segment judged on its own, as for the processes of {@code capture --all}: leaking first, then the fastest
     * growth of all handles first. Segments with too few records to judge are left out.
     */
    public List<ProcessVerdict> judgeEach(Capture capture) {
        List<ProcessVerdict> out = new ArrayList<>();
        for (Capture.Segment s : capture.segments()) {
            Verdict v = judge(s.segment(), s.records());
            if (v.total() != null) out.add(new ProcessVerdict(s.segment(), s.pid(), s.name() != null ? s.name() : capture.name(), v));
        }
        out.sort(Comparator.comparing((ProcessVerdict p) -> !p.verdict().leak())
                .thenComparing(Comparator.comparingDouble((ProcessVerdict p) -> p.verdict().total().perHour()).reversed())
                .thenComparingInt(ProcessVerdict::pid));
        return out;
    }

    private Verdict judgeSegments(Capture capture) {
        Verdict decided = null, newest = null;
        for (Capture.Segment s : capture.segments()) {
            Verdict v = judge(s.segment(), s.records());
            if (v.total() == null) continue;
            newest = v;
            if (v.leak() && decided == null) decided = v;
        }
        if (decided != null) return decided;
        if (newest != null) return newest;
        int most = capture.segments().stream().mapToInt(s -> s.records().size()).max().orElse(0);
        return new Verdict(false, "not enough records to judge (" + most + " in the longest segment, " + minRecords + " needed): capture longer",
                0, null, List.of(), List.of());
    }

    /** Judges one segment's records (oldest first). */
    public Verdict judge(int segment, List<CaptureRecord> records) {
        if (records.size() < minRecords) {
            return new Verdict(false, "not enough records to judge (" + records.size() + ", " + minRecords + " needed)", segment, null, List.of(), List.of());
        }
        double[] hours = hours(records);
        Growth total = series("all handles", null, hours, records, CaptureRecord::total);

        Set<String> typeNames = new LinkedHashSet<>();
        for (CaptureRecord r : records) typeNames.addAll(r.types().keySet());
        List<Growth> types = new ArrayList<>();
        for (String t : typeNames) types.add(series(t, null, hours, records, r -> r.types().getOrDefault(t, 0)));
        types.sort(ORDER);

        Map<String, StackGroup> lastGroup = new LinkedHashMap<>();
        for (CaptureRecord r : records) for (StackGroup g : r.groups()) lastGroup.put(g.id(), g);
        List<Verdict.StackGrowth> stacks = new ArrayList<>();
        for (StackGroup g : lastGroup.values()) {
            Growth growth = series(g.key(), g.id(), hours, records, r -> countOf(r, g.id()));
            stacks.add(new Verdict.StackGrowth(growth, g));
        }
        stacks.sort(Comparator.comparing(Verdict.StackGrowth::growth, ORDER));

        List<String> leaking = new ArrayList<>();
        types.stream().filter(g -> g.judgement() == Growth.Judgement.LEAK).forEach(g -> leaking.add(g.subject()));
        stacks.stream().map(Verdict.StackGrowth::growth).filter(g -> g.judgement() == Growth.Judgement.LEAK).forEach(g -> leaking.add(g.subject()));
        boolean leak = total.judgement() == Growth.Judgement.LEAK || !leaking.isEmpty();
        String summary;
        if (leak) {
            Growth lead = !stacks.isEmpty() && stacks.get(0).growth().judgement() == Growth.Judgement.LEAK ? stacks.get(0).growth()
                    : types.get(0).judgement() == Growth.Judgement.LEAK ? types.get(0) : total;
            summary = String.format("LEAK: %s grows %s handles/hour (R² %.2f)", lead.subject(), rate(lead.perHour()), lead.confidence());
        } else {
            summary = "no leak: handles " + total.judgement().text() + String.format(" (%s handles/hour over the later part, R² %.2f)",
                    rate(total.perHour()), total.confidence());
        }
        return new Verdict(leak, summary, segment, total, types, stacks);
    }

    /** Judges one series of counts at the given times (hours from any origin), oldest first. */
    public Growth series(String subject, String id, double[] hours, List<CaptureRecord> records, ToIntFunction<CaptureRecord> count) {
        double[] values = new double[records.size()];
        for (int i = 0; i < values.length; i++) values[i] = count.applyAsInt(records.get(i));
        return judge(subject, id, hours, values);
    }

    /** Judges a series of values at times in hours, oldest first. */
    public Growth judge(String subject, String id, double[] hours, double[] values) {
        int n = values.length;
        int first = n == 0 ? 0 : (int) values[0], last = n == 0 ? 0 : (int) values[n - 1];
        Trend overall = Trend.fit(hours, values, 0, n);
        if (n < minRecords) return new Growth(subject, id, first, last, overall, overall, Growth.Judgement.TOO_FEW_RECORDS);
        int from = lateStart(hours);
        Trend late = Trend.fit(hours, values, from, n);
        Growth.Judgement j;
        if (late.rise() >= minRise && late.rSquared() >= minRSquared) {
            int mid = from + (n - from) / 2;
            Trend early = Trend.fit(hours, values, from, mid + 1);
            Trend end = Trend.fit(hours, values, mid, n);
            boolean slowing = early.points() >= 3 && end.points() >= 3 && early.slopePerHour() > 0
                    && end.slopePerHour() < DECELERATION * early.slopePerHour();
            j = slowing ? Growth.Judgement.LEVELS_OFF : Growth.Judgement.LEAK;
        } else if (late.rise() >= minRise) {
            j = Growth.Judgement.NO_CLEAR_TREND;
        } else {
            j = overall.rise() >= minRise || last - first >= minRise ? Growth.Judgement.LEVELS_OFF : Growth.Judgement.FLAT;
        }
        return new Growth(subject, id, first, last, overall, late, j);
    }

    /** Index of the first point of the later part (at least three points). */
    private int lateStart(double[] hours) {
        int n = hours.length;
        double cut = hours[n - 1] - lateFraction * (hours[n - 1] - hours[0]);
        int i = 0;
        while (i < n && hours[i] < cut) i++;
        return Math.min(i, n - 3);
    }

    private static double[] hours(List<CaptureRecord> records) {
        Instant t0 = records.get(0).time();
        double[] h = new double[records.size()];
        for (int i = 0; i < h.length; i++) h[i] = Duration.between(t0, records.get(i).time()).toNanos() / 3.6e12;
        return h;
    }

    private static int countOf(CaptureRecord r, String id) {
        for (StackGroup g : r.groups()) if (g.id().equals(id)) return g.count();
        return 0;
    }

    /** Leaks first, then fastest growth first. */
    private static final Comparator<Growth> ORDER = Comparator.comparing((Growth g) -> g.judgement() != Growth.Judgement.LEAK)
            .thenComparing(Comparator.comparingDouble(Growth::perHour).reversed())
            .thenComparing(Growth::subject);

    /** A rate for people: whole numbers when large, one decimal when small. */
    public static String rate(double perHour) {
        return Math.abs(perHour) >= 100 ? String.format("%,.0f", perHour) : String.format("%.1f", perHour);
    }
}
