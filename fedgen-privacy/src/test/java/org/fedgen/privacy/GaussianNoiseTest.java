package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianNoiseTest {

    @Test
    void momentsAndTailMatchTheStandardNormal() {
        int n = 400_000;
        float[] x = new float[n];
        GaussianNoise.seeded(11).fill(x, 1.0);
        double sum = 0;
        double sq = 0;
        double fourth = 0;
        int beyond2 = 0;
        for (float v : x) {
            sum += v;
            sq += v * v;
            fourth += (double) v * v * v * v;
            if (Math.abs(v) > 2) {
                beyond2++;
            }
        }
        assertEquals(0, sum / n, 5 / Math.sqrt(n));
        assertEquals(1, sq / n, 0.01);
        assertEquals(3, fourth / n, 0.05);
        // P(|Z| > 2) = 0.0455003
        assertEquals(0.0455003, beyond2 / (double) n, 5 * Math.sqrt(0.0455 * 0.9545 / n));
    }

    @Test
    void seededStreamsAreReproducibleAndSecureOnesDiffer() {
        float[] a = new float[1000];
        float[] b = new float[1000];
        GaussianNoise.seeded(5).fill(a, 2.0);
        GaussianNoise.seeded(5).fill(b, 2.0);
        assertArrayEquals(a, b, 0f);
        GaussianNoise.seeded(6).fill(b, 2.0);
        assertFalse(Arrays.equals(a, b));
        GaussianNoise.secure().fill(a, 1.0);
        GaussianNoise.secure().fill(b, 1.0);
        assertFalse(Arrays.equals(a, b));
        assertThrows(IllegalArgumentException.class, () -> GaussianNoise.seeded(1).fill(a, -1));
    }
}
