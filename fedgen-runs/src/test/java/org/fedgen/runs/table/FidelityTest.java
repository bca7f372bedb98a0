package org.fedgen.runs.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FidelityTest {
    @Test
    void ksOfHandMadeSamples() {
        // F_a and F_b of {1,2,3} and {2,3,4}: after 1: 1/3 vs 0; after 2: 2/3 vs 1/3; after 3: 1 vs 2/3 -> 1/3
        assertEquals(1.0 / 3, Fidelity.ks(new double[] {1, 2, 3}, new double[] {2, 3, 4}), 1e-15);
        // disjoint supports: 1
        assertEquals(1.0, Fidelity.ks(new double[] {1, 2}, new double[] {5, 6, 7}));
        // the same multiset in another order: 0
        assertEquals(0.0, Fidelity.ks(new double[] {3, 1, 2, 2}, new double[] {2, 3, 2, 1}));
        // ties across samples: {0,0,1} vs {0,1,1}: after 0: 2/3 vs 1/3
        assertEquals(1.0 / 3, Fidelity.ks(new double[] {0, 0, 1}, new double[] {0, 1, 1}), 1e-15);
        // unequal sizes: {0} vs {0,1,1,1}: after 0: 1 vs 1/4
        assertEquals(0.75, Fidelity.ks(new double[] {0}, new double[] {0, 1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> Fidelity.ks(new double[0], new double[] {1}));
    }

    @Test
    void tvOfHandMadeSamples() {
        // p = (a 1/2, b 1/2), q = (a 1/4, b 1/4, c 1/2): ½ (1/4 + 1/4 + 1/2) = 1/2
        assertEquals(0.5, Fidelity.tv(List.of("a", "b"), List.of("a", "b", "c", "c")));
        assertEquals(0.0, Fidelity.tv(List.of("a", "b", "b"), List.of("b", "a", "b")));
        assertEquals(1.0, Fidelity.tv(List.of("a"), List.of("b", "b")));
        // p = (x 2/3, y 1/3), q = (x 1/3, y 2/3): 1/3
        assertEquals(1.0 / 3, Fidelity.tv(List.of("x", "x", "y"), List.of("x", "y", "y")), 1e-15);
    }

    @Test
    void correlationDifferenceOfHandMadeColumns() {
        double[] x = {1, 2, 3, 4};
        double[] up = {2, 4, 6, 8};
        double[] down = {8, 6, 4, 2};
        assertEquals(1.0, Fidelity.pearson(x, up), 1e-15);
        assertEquals(-1.0, Fidelity.pearson(x, down), 1e-15);
        // one pair, ρ = 1 in the real rows and −1 in the synthetic ones
        assertEquals(2.0, Fidelity.correlationDifference(List.of(x, up), List.of(x, down)), 1e-15);
        // NaN marks a missing value; the pair uses the rows where both are present
        assertEquals(1.0, Fidelity.pearson(new double[] {1, Double.NaN, 3, 5}, new double[] {1, 9, 3, 5}), 1e-15);
        // a constant column has no correlation
        assertEquals(Double.NaN, Fidelity.pearson(x, new double[] {1, 1, 1, 1}));
    }
}
