package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MembershipMetricsTest {
    /**
     * Members {3, 1, 2}, non-members {0, 2, 5}: of the 9 pairs, member 3 beats 0 and 2 (2), member 1 beats 0 (1),
     * member 2 beats 0 and ties 2 (1.5): AUC = 4.5 / 9 = 0.5. With 3 non-members ⌊0.03⌋ = 0 may be exceeded, so the
     * threshold is the top non-member 5 and no member is above: TPR 0.
     */
    @Test
    void aucAndTprOnAHandWorkedExample() {
        double[] m = {3, 1, 2};
        double[] n = {0, 2, 5};
        assertEquals(0.5, MembershipMetrics.auc(m, n), 0.0);
        assertEquals(0.0, MembershipMetrics.tprAtFpr(m, n), 0.0);
        assertEquals(1.0, MembershipMetrics.auc(new double[] {6, 7}, n), 0.0);
        assertEquals(1.0, MembershipMetrics.tprAtFpr(new double[] {6, 7}, n), 0.0);
    }

    /**
     * Scores from N(1, 1) vs N(0, 1) (2000 each): the AUC is Φ(1/√2) = 0.7602 and the interval, about ±0.015 wide,
     * covers it; identical distributions give an interval around 0.5.
     */
    @Test
    void bootstrapIntervalsCoverTheTrueAuc() {
        SplittableRandom r = new SplittableRandom(3);
        double[] m = new double[2000];
        double[] n = new double[2000];
        double[] same = new double[2000];
        for (int i = 0; i < m.length; i++) {
            m[i] = 1 + r.nextGaussian();
            n[i] = r.nextGaussian();
            same[i] = r.nextGaussian();
        }
        MembershipMetrics a = MembershipMetrics.of(m, n, 500, 1);
        assertTrue(a.aucLow() < 0.7602 && 0.7602 < a.aucHigh(), a.toString());
        assertTrue(a.aucHigh() - a.aucLow() < 0.04, a.toString());
        MembershipMetrics b = MembershipMetrics.of(same, n, 500, 1);
        assertTrue(b.aucLow() < 0.5 && 0.5 < b.aucHigh(), b.toString());
    }
}
