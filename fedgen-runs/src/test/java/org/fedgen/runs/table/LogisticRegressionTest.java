package org.fedgen.runs.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    @Test
    void oneStepFromZeroMatchesTheHandComputedGradient() {
        // Two rows x = 1 (class 0) and x = 0 (class 1), two classes. At W = 0 every p = ½, so the mean gradient
        // of class 0 is ((½ − 1)·1 + ½·0) / 2 = −¼ on the weight and ((½ − 1) + ½) / 2 = 0 on the bias; class 1
        // gets +¼ and 0. One step of rate 2: w0 = ½, w1 = −½, biases 0, so p_0(x = 1) = e^½ / (e^½ + e^−½).
        LogisticRegression m = LogisticRegression.fit(new double[][] {{1}, {0}}, new int[] {0, 1}, 2, 1, 2.0, 0);
        double p0 = Math.exp(0.5) / (Math.exp(0.5) + Math.exp(-0.5));
        assertArrayEquals(new double[] {p0, 1 - p0}, m.probabilities(new double[] {1}), 1e-15);
        assertArrayEquals(new double[] {0.5, 0.5}, m.probabilities(new double[] {0}), 1e-15);
    }

    @Test
    void separatesThreeClasses() {
        double[][] x = {{0, 0}, {0.1, 0}, {1, 0}, {0.9, 0.1}, {0, 1}, {0.1, 0.9}};
        int[] y = {0, 0, 1, 1, 2, 2};
        LogisticRegression m = LogisticRegression.fit(x, y, 3, 500, 1.0, 1e-3);
        assertEquals(1.0, m.accuracy(x, y));
        assertTrue(m.probabilities(new double[] {1, 0})[1] > 0.5);
    }

    @Test
    void refusesLabelsOutOfRange() {
        assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(new double[][] {{1}}, new int[] {2}, 2, 1, 1, 0));
    }
}
