package dev.jhtrace.capture;

/**
 * A least-squares line through a series of (hours, count) points.
 *
 * @param points       points fitted
 * @param slopePerHour the fitted growth, in handles per hour
 * @param rSquared     how well the line explains the points, 0 to 1 (1 when the line fits exactly, flat lines included)
 * @param spanHours    time from the first to the last point
 */
public record Trend(int points, double slopePerHour, double rSquared, double spanHours) {

    /** The fitted rise over the span, in handles. */
    public double rise() {
        return slopePerHour * spanHours;
    }

    /** Fits {@code values} over {@code hours}, between indexes {@code from} (inclusive) and {@code to} (exclusive). */
    public static Trend fit(double[] hours, double[] values, int from, int to) {
        int n = to - from;
        if (n < 2) return new Trend(n, 0, 0, 0);
        double mx = 0, my = 0;
        for (int i = from; i < to; i++) {
            mx += hours[i];
            my += values[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = from; i < to; i++) {
            double dx = hours[i] - mx, dy = values[i] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        double span = hours[to - 1] - hours[from];
        if (sxx == 0) return new Trend(n, 0, 0, span);
        double slope = sxy / sxx;
        double ssRes = Math.max(0, syy - slope * sxy);
        double r2 = ssRes <= 1e-12 * Math.max(1, syy) ? 1 : syy == 0 ? 0 : 1 - ssRes / syy;
        return new Trend(n, slope, Math.max(0, Math.min(1, r2)), span);
    }
}
