package dev.jhtrace.capture;

import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeakVerdictTest {
    private static final LeakVerdict V = LeakVerdict.DEFAULT;

    /** Points every 5 minutes for 8 hours. */
    private static Growth judge(DoubleUnaryOperator countAtHour) {
        int n = 97;
        double[] h = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) {
            h[i] = i * 5 / 60.0;
            v[i] = Math.round(countAtHour.applyAsDouble(h[i]));
        }
        return V.judge("s", null, h, v);
    }

    @Test
    void steadyLeakIsALeakWithItsRate() {
        Growth g = judge(h -> 40 + 12 * h);
        assertEquals(Growth.Judgement.LEAK, g.judgement());
        assertEquals(12, g.perHour(), 0.2);
        assertTrue(g.confidence() > 0.99, "R² " + g.confidence());
    }

    @Test
    void slowLeakWithNoiseIsStillALeak() {
        // one handle every 20 minutes on top of +-2 of churn
        Growth g = judge(h -> 100 + 3 * h + 2 * Math.sin(h * 37));
        assertEquals(Growth.Judgement.LEAK, g.judgement(), g.toString());
        assertEquals(3, g.perHour(), 0.5);
    }

    @Test
    void warmUpThatLevelsOffIsNoLeak() {
        Growth g = judge(h -> h < 1 ? 20 + 200 * h : 220);
        assertEquals(Growth.Judgement.LEVELS_OFF, g.judgement());
        assertEquals(0, g.perHour(), 1e-9);
        assertTrue(g.overall().slopePerHour() > 0, "the whole series did grow");
    }

    @Test
    void growthStillSlowingDownInTheLaterPartLevelsOff() {
        // approaches 300 exponentially: the later half still rises a little, but ever slower
        Growth g = judge(h -> 300 - 280 * Math.exp(-h / 1.2));
        assertEquals(Growth.Judgement.LEVELS_OFF, g.judgement(), g.toString());
    }

    @Test
    void flatIsFlat() {
        Growth g = judge(h -> 57);
        assertEquals(Growth.Judgement.FLAT, g.judgement());
        assertEquals(1.0, g.confidence());
    }

    @Test
    void burstsWithoutATrendAreNotCalledALeak() {
        Growth g = judge(h -> 50 + ((int) (h * 3) % 4 == 0 ? 40 : 0) + (h > 7.5 ? 30 : 0));
        assertEquals(Growth.Judgement.NO_CLEAR_TREND, g.judgement(), g.toString()); // it rises, but no line fits (R² far below 0.8)
    }

    @Test
    void tooFewRecordsAreNotJudged() {
        Growth g = V.judge("s", null, new double[] {0, 1, 2}, new double[] {1, 50, 100});
        assertEquals(Growth.Judgement.TOO_FEW_RECORDS, g.judgement());
    }

    @Test
    void trendFitsExactLines() {
        Trend t = Trend.fit(new double[] {0, 1, 2, 3}, new double[] {5, 7, 9, 11}, 0, 4);
        assertEquals(2, t.slopePerHour(), 1e-12);
        assertEquals(1, t.rSquared(), 1e-12);
        assertEquals(6, t.rise(), 1e-12);
    }
}
