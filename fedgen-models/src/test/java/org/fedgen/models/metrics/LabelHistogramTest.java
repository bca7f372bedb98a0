package org.fedgen.models.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LabelHistogramTest {
    @Test
    void countsFractionsEntropyAndMinimum() {
        LabelHistogram h = LabelHistogram.of(new int[] {0, 1, 1, 0, 2, 1, 1, 0}, 4);
        assertArrayEquals(new int[] {3, 4, 1, 0}, h.counts());
        assertArrayEquals(new double[] {0.375, 0.5, 0.125, 0.0}, h.fractions(), 0.0);
        double expected = -(0.375 * Math.log(0.375) + 0.5 * Math.log(0.5) + 0.125 * Math.log(0.125));
        assertEquals(expected, h.entropy(), 1e-15);
        assertEquals(0.0, h.minClassFraction(), 0.0);
        assertEquals(Math.log(2), LabelHistogram.of(new int[] {0, 1}, 2).entropy(), 1e-15);
        assertEquals(0.5, LabelHistogram.of(new int[] {0, 1}, 2).minClassFraction(), 0.0);
    }

    @Test
    void rejectsOutOfRangeLabels() {
        assertThrows(IllegalArgumentException.class, () -> LabelHistogram.of(new int[] {0, 10}, 10));
        assertThrows(IllegalArgumentException.class, () -> LabelHistogram.of(new int[] {-1}, 10));
        assertThrows(IllegalArgumentException.class, () -> LabelHistogram.of(new int[0], 10));
    }
}
