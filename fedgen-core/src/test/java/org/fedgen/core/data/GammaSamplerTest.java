package org.fedgen.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GammaSamplerTest {
    @Test
    void meanAndVarianceMatchTheShape() {
        // Gamma(a, 1) has mean a and variance a; the fourth central moment is 3a² + 6a, so the sample variance has
        // standard error sqrt((3a² + 6a - a²) / n) = sqrt((2a² + 6a) / n). Tolerances are 5 standard errors.
        int n = 100_000;
        for (double a : new double[] {0.1, 0.7, 1.0, 2.5, 100}) {
            SplittableRandom rng = new SplittableRandom(123);
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double g = GammaSampler.sample(rng, a);
                assertTrue(g >= 0 && Double.isFinite(g));
                sum += g;
                sumSq += g * g;
            }
            double mean = sum / n;
            double var = sumSq / n - mean * mean;
            assertEquals(a, mean, 5 * Math.sqrt(a / n), "mean for shape " + a);
            assertEquals(a, var, 5 * Math.sqrt((2 * a * a + 6 * a) / n), "variance for shape " + a);
        }
    }

    @Test
    void sameSeedSameSequence() {
        SplittableRandom r1 = new SplittableRandom(5);
        SplittableRandom r2 = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            assertEquals(Double.doubleToRawLongBits(GammaSampler.logSample(r1, 0.3)),
                    Double.doubleToRawLongBits(GammaSampler.logSample(r2, 0.3)));
        }
    }

    @Test
    void tinyShapeStaysFiniteInLogSpace() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            double lg = GammaSampler.logSample(rng, 1e-4);
            assertTrue(Double.isFinite(lg) && lg <= Math.log(50), String.valueOf(lg));
        }
    }

    @Test
    void rejectsBadShapes() {
        for (double bad : new double[] {0, -2, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> GammaSampler.logSample(new SplittableRandom(1), bad));
        }
    }
}
