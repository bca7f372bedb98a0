package org.fedgen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        PoissonSampler s = new PoissonSampler(0.1);
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
    void badRatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PoissonSampler(0));
        assertThrows(IllegalArgumentException.class, () -> new PoissonSampler(1.5));
        assertThrows(IllegalArgumentException.class, () -> FixedSizeSampler.count(0));
        assertThrows(IllegalArgumentException.class, () -> FixedSizeSampler.fraction(0));
    }
}
