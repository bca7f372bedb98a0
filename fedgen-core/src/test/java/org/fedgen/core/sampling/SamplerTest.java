package org.fedgen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static List<Integer> ids(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    @Test
    void fixedSizeDrawsDistinctSortedIdsReproducibly() {
        FixedSizeSampler s = FixedSizeSampler.count(7);
        List<Integer> a = s.sample(ids(20), 1, new SplittableRandom(5));
        assertEquals(7, a.size());
        assertEquals(7, new HashSet<>(a).size());
        List<Integer> sorted = new ArrayList<>(a);
        sorted.sort(null);
        assertEquals(sorted, a);
        assertEquals(a, s.sample(ids(20), 1, new SplittableRandom(5)));
        assertNotEquals(a, s.sample(ids(20), 1, new SplittableRandom(6)));
        assertEquals(3, FixedSizeSampler.count(7).sample(ids(3), 1, new SplittableRandom(1)).size());
        assertEquals(5.0, FixedSizeSampler.fraction(0.25).expectedClients(20));
    }

    @Test
    void fixedSizeIsUniform() {
        // Each of 10 ids is chosen with probability 3/10; over 20 000 draws the count of id 0 is 6 000 ± 65 (1 sd).
        FixedSizeSampler s = FixedSizeSampler.count(3);
        SplittableRandom r = new SplittableRandom(1);
        int hits = 0;
        for (int i = 0; i < 20000; i++) {
            hits += s.sample(ids(10), i, r).contains(0) ? 1 : 0;
        }
        assertTrue(Math.abs(hits - 6000) < 5 * 65, "hits " + hits);
    }

    @Test
    void poissonJoinsEachClientWithRateQ() {
        PoissonSampler s = PoissonSampler.seeded(0.1);
        SplittableRandom r = new SplittableRandom(2);
        int total = 0;
        boolean sawEmpty = false;
        for (int i = 0; i < 2000; i++) {
            List<Integer> c = s.sample(ids(20), i, r);
            total += c.size();
            sawEmpty |= c.isEmpty();
        }
        // E = 2000·20·0.1 = 4000, sd = sqrt(40000·0.09) = 60
        assertTrue(Math.abs(total - 4000) < 5 * 60, "total " + total);
        assertTrue(sawEmpty, "P(empty round) = 0.9^20 ≈ 0.12, so 2000 rounds must contain one");
        assertEquals(2.0, s.expectedClients(20), 1e-12);
        assertTrue(s.isPoisson());
    }

    @Test
    void securePoissonJoinsEveryClientAtRateQIndependentlyAcrossClientsAndRounds() {
        // W = 20 clients, R = 4000 rounds, q = 0.3. Each client's count is Binomial(R, q): the sum of the 20 squared
        // z-scores is chi-square(20), below 65.4 with probability 1 - 1e-6. Independence: for every pair of clients
        // (190 pairs) and for every client in consecutive rounds (20), the joint count is Binomial(n, q^2); each
        // family's squared z-scores are chi-square-like. An all-or-nothing sampler (everyone or no one, with
        // probability q) passes the total but fails the pairs: its joint rate is q, not q^2.
        int w = 20;
        int rounds = 4000;
        double q = 0.3;
        PoissonSampler s = new PoissonSampler(q);
        boolean[][] in = new boolean[rounds][w];
        for (int r = 0; r < rounds; r++) {
            for (int id : s.sample(ids(w), r, new SplittableRandom(42))) {
                in[r][id] = true;
            }
        }
        double perClient = 0;
        for (int c = 0; c < w; c++) {
            int n = 0;
            for (int r = 0; r < rounds; r++) {
                n += in[r][c] ? 1 : 0;
            }
            perClient += square(zScore(n, rounds, q));
        }
        assertTrue(perClient < 65.4, "per-client rate chi-square(20) = " + perClient);
        double pairs = 0;
        for (int a = 0; a < w; a++) {
            for (int b = a + 1; b < w; b++) {
                int n = 0;
                for (int r = 0; r < rounds; r++) {
                    n += in[r][a] && in[r][b] ? 1 : 0;
                }
                pairs += square(zScore(n, rounds, q * q));
            }
        }
        // Mean 190; pairs sharing a client are correlated (rho = q/(1+q) = 0.23), which raises the sd from 19.5 to
        // about 33, so 425 is 7 sd above the mean. An all-or-nothing sampler gives each pair z ~ 46, i.e. > 10^5.
        assertTrue(pairs < 425, "pairwise joint inclusion, sum of 190 squared z-scores = " + pairs);
        double consecutive = 0;
        for (int c = 0; c < w; c++) {
            int n = 0;
            for (int r = 1; r < rounds; r++) {
                n += in[r - 1][c] && in[r][c] ? 1 : 0;
            }
            consecutive += square(zScore(n, rounds - 1, q * q));
        }
        assertTrue(consecutive < 65.4, "consecutive-round inclusion chi-square(20) = " + consecutive);
        assertTrue(s.isSecure());
    }

    @Test
    void securePoissonIgnoresTheServersSeedAndSeededPoissonFollowsIt() {
        // The same seeded stream every round: a seeded sampler repeats itself, a secure one does not (two equal
        // 40-client samples of rate 1/2 have probability 2^-40 each).
        PoissonSampler secure = new PoissonSampler(0.5);
        PoissonSampler seeded = PoissonSampler.seeded(0.5);
        List<Integer> first = secure.sample(ids(40), 1, new SplittableRandom(9));
        assertNotEquals(first, secure.sample(ids(40), 1, new SplittableRandom(9)));
        assertEquals(seeded.sample(ids(40), 1, new SplittableRandom(9)),
                seeded.sample(ids(40), 1, new SplittableRandom(9)));
        assertFalse(seeded.isSecure());
    }

    private static double zScore(int count, int trials, double p) {
        return (count - trials * p) / Math.sqrt(trials * p * (1 - p));
    }

    private static double square(double x) {
        return x * x;
    }

    @Test
    void badRatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PoissonSampler(0));
        assertThrows(IllegalArgumentException.class, () -> new PoissonSampler(1.5));
        assertThrows(IllegalArgumentException.class, () -> FixedSizeSampler.count(0));
        assertThrows(IllegalArgumentException.class, () -> FixedSizeSampler.fraction(0));
    }
}
