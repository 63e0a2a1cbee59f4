package dev.jhtrace.capture;

/**
 * How one series (all handles, one type, or one stack) grew over a segment.
 *
 * @param subject   what was counted: {@code all handles}, a type name, or a stack's leaking frame
 * @param id        the stack id for stack series, else null
 * @param first     the count at the first record
 * @param last      the count at the last record
 * @param overall   the line fitted through the whole segment
 * @param late      the line fitted through the later part, which decides
 * @param judgement what the series shows
 */
public record Growth(String subject, String id, int first, int last, Trend overall, Trend late, Judgement judgement) {

    /** The growth rate that decides, in handles per hour. */
    public double perHour() {
        return late.slopePerHour();
    }

    /** The confidence in that rate: R² of the later part's line, 0 to 1. */
    public double confidence() {
        return late.rSquared();
    }

    /** What a series shows. */
    public enum Judgement {
        /** Grows steadily through the later part of the capture. */
        LEAK("steady growth: leak"),
        /** Grew early (warm-up, caches, pools) and then levelled off. */
        LEVELS_OFF("grew, then levelled off: warm-up, not a leak"),
        /** Did not grow. */
        FLAT("flat"),
        /** Rose, but too irregularly to call (bursts, load changes): capture longer. */
        NO_CLEAR_TREND("no clear trend: capture longer"),
        /** Too few records to judge. */
        TOO_FEW_RECORDS("too few records to judge");

        private final String text;

        Judgement(String text) {
            this.text = text;
        }

        /** A phrase for reports. */
        public String text() {
            return text;
        }
    }
}
