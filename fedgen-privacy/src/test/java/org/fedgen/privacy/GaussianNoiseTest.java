package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GaussianNoiseTest {
    private static final int N = 2_000_000;

    private static float[] draws(long seed) {
        float[] x = new float[N];
        GaussianNoise.seeded(seed).fill(x, 1.0);
        return x;
    }

    @Test
    void momentsMatchTheStandardNormal() {
        float[] x = draws(11);
        double sum = 0;
        double sq = 0;
        double third = 0;
        double fourth = 0;
        for (float v : x) {
            double d = v;
            sum += d;
            sq += d * d;
            third += d * d * d;
            fourth += d * d * d * d;
        }
        // 5 standard errors: sd of the mean 1/√n, of the mean square √(2/n), of the third moment √(15/n), of the
        // fourth √(96/n)
        assertEquals(0, sum / N, 5 / Math.sqrt(N));
        assertEquals(1, sq / N, 5 * Math.sqrt(2.0 / N));
        assertEquals(0, third / N, 5 * Math.sqrt(15.0 / N));
        assertEquals(3, fourth / N, 5 * Math.sqrt(96.0 / N));
    }

    @Test
    void histogramPassesChiSquareAgainstTheStandardNormal() {
        // 100 bins of width 0.08 on [-4, 4] and the two tails: 102 cells, 101 degrees of freedom
        int bins = 100;
        double width = 8.0 / bins;
        for (long seed : new long[] {12, 13}) {
            long[] counts = new long[bins + 2];
            for (float v : draws(seed)) {
                int cell = v < -4 ? 0 : v >= 4 ? bins + 1 : 1 + Math.min(bins - 1, (int) ((v + 4) / width));
                counts[cell]++;
            }
            double tail = 3.167124183311986e-05; // P(Z < -4)
            double chi2 = 0;
            for (int c = 0; c < bins + 2; c++) {
                double p = c == 0 || c == bins + 1 ? tail : normalMass(-4 + (c - 1) * width, -4 + c * width);
                double e = p * N;
                chi2 += (counts[c] - e) * (counts[c] - e) / e;
            }
            // the 0.999 quantile of chi-square with 101 degrees of freedom
            assertTrue(chi2 < 150.667, "chi-square " + chi2 + " for seed " + seed);
        }
    }

    @Test
    void tailMassesMatchTheStandardNormal() {
        // beyond 3: layers and wedges; beyond 4: only the base layer's tail sampler (R = 3.654)
        for (long seed : new long[] {14, 15}) {
            long beyond3 = 0;
            long beyond4 = 0;
            long negative4 = 0;
            for (float v : draws(seed)) {
                beyond3 += Math.abs(v) > 3 ? 1 : 0;
                beyond4 += Math.abs(v) > 4 ? 1 : 0;
                negative4 += v < -4 ? 1 : 0;
            }
            double p3 = 0.0026997960632601866;
            double p4 = 6.334248366623973e-05;
            assertEquals(p3 * N, beyond3, 5 * Math.sqrt(p3 * N), "|x| > 3, seed " + seed);
            assertEquals(p4 * N, beyond4, 5 * Math.sqrt(p4 * N), "|x| > 4, seed " + seed);
            // both signs of the tail: the negative half is Binomial(beyond4, 1/2)
            assertEquals(beyond4 / 2.0, negative4, 5 * Math.sqrt(beyond4 / 4.0), "x < -4, seed " + seed);
        }
    }

    @Test
    void consecutiveDrawsAreUncorrelatedInValueAndSquare() {
        float[] x = draws(16);
        double r1 = lagCorrelation(x, false);
        double r2 = lagCorrelation(x, true);
        // under independence each sample correlation has standard error 1/√n
        assertEquals(0, r1, 5 / Math.sqrt(N), "lag-1 correlation");
        assertEquals(0, r2, 5 / Math.sqrt(N), "lag-1 correlation of squares");
    }

    @Test
    void zigguratLayersAllHaveTheSameArea() {
        // V = R·exp(−R²/2) + √(π/2)·erfc(R/√2) at 40 digits (mpmath) is 0.0049286732339746548702...; Marsaglia and
        // Tsang print 0.00492867323399. The top layer, closing the table at x = 0, then has area V to 3e-14 relative
        // (at 40 digits; R has 17).
        assertEquals(0.0049286732339746548702, NormalZiggurat.AREA, 1e-17);
        assertEquals(NormalZiggurat.AREA, NormalZiggurat.topLayerArea(), 1e-12 * NormalZiggurat.AREA);
    }

    @Test
    void bulkPathsDrawTheSameNumbersAsTheTextbookZiggurat() {
        // fill and addTo read the keystream block by block and settle most wedges by linear bounds; the reference
        // below is the plain per-draw ziggurat with an exp for every wedge point: same words, same numbers
        int n = 1_000_003;
        for (long seed : new long[] {17, 18}) {
            GaussianNoise noise = GaussianNoise.seeded(seed);
            KeystreamRandom reference = KeystreamRandom.seeded(seed);
            // three single draws first, so that the bulk paths start in the middle of a keystream block
            for (int i = 0; i < 3; i++) {
                assertEquals(textbook(reference), noise.next(), 0.0);
            }
            float[] filled = new float[n];
            noise.fill(filled, 0.75);
            INDArray added = Nd4j.zeros(DataType.FLOAT, 10_001).addi(0.5);
            noise.addTo(added, 1.25);
            float[] sum = added.toFloatVector();
            for (int i = 0; i < n; i++) {
                assertEquals((float) (0.75 * textbook(reference)), filled[i], 0f, "fill, draw " + i);
            }
            for (int i = 0; i < sum.length; i++) {
                assertEquals(0.5f + (float) (1.25 * textbook(reference)), sum[i], 0f, "addTo, draw " + i);
            }
            assertEquals(textbook(reference), noise.next(), 0.0);
        }
    }

    @Test
    void wedgeBoundsNeverContradictTheDensity() {
        // at 4001 points of every wedge, the height just below f(x) must not be rejected by the bounds and f(x)
        // itself (rejected by y < f(x)) must not be accepted; and most of the wedge is settled without the exp
        long settled = 0;
        long points = 0;
        for (int layer = 1; layer < NormalZiggurat.LAYERS; layer++) {
            double lo = NormalZiggurat.edge(layer + 1);
            double hi = NormalZiggurat.edge(layer);
            double bottom = NormalZiggurat.height(layer);
            double top = NormalZiggurat.height(layer + 1);
            for (int j = 0; j <= 4000; j++) {
                double x = j == 4000 ? hi : lo + (hi - lo) * j / 4000;
                double fx = StrictMath.exp(-0.5 * x * x);
                assertTrue(NormalZiggurat.squeeze(layer, x, Math.nextDown(fx)) >= 0, "layer " + layer + " x " + x);
                assertTrue(NormalZiggurat.squeeze(layer, x, fx) <= 0, "layer " + layer + " x " + x);
                for (int h = 0; h < 8; h++) {
                    double y = bottom + (top - bottom) * (h + 0.5) / 8;
                    int s = NormalZiggurat.squeeze(layer, x, y);
                    if (s != 0) {
                        assertEquals(y < fx, s > 0, "layer " + layer + " x " + x + " y " + y);
                        settled++;
                    }
                    points++;
                }
            }
        }
        assertTrue(settled > 0.9 * points, settled + " of " + points + " wedge points settled");
    }

    @Test
    void keystreamIsAes256InCounterModeFromZero() throws Exception {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (7 * i + 1);
        }
        KeystreamRandom stream = new KeystreamRandom(key);
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        // 300 blocks cross the generator's 4 KiB refills (256 blocks each)
        int blocks = 300;
        ByteBuffer counters = ByteBuffer.allocate(16 * blocks);
        for (int j = 0; j < blocks; j++) {
            counters.putLong(16 * j + 8, j);
        }
        ByteBuffer expected = ByteBuffer.wrap(ecb.doFinal(counters.array())).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2 * blocks; i++) {
            assertEquals(expected.getLong(), stream.nextLong(), "word " + i);
        }
    }

    @Test
    void addToAddsTheFillStreamInRowMajorOrderWhateverTheLayout() {
        int n = 60;
        float[] noise = new float[n];
        GaussianNoise.seeded(21).fill(noise, 0.5);
        float[] base = new float[n];
        for (int i = 0; i < n; i++) {
            base[i] = i * 0.25f - 3;
        }
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = base[i] + noise[i];
        }
        // a plain vector, a contiguous range of a longer vector, an f-ordered matrix and a column-strided view
        INDArray plain = Nd4j.createFromArray(base.clone());
        GaussianNoise.seeded(21).addTo(plain, 0.5);
        assertArrayEquals(expected, plain.toFloatVector(), 0f);

        INDArray longer = Nd4j.zeros(DataType.FLOAT, n + 20);
        INDArray range = longer.get(NDArrayIndex.interval(10, 10 + n));
        range.assign(Nd4j.createFromArray(base));
        GaussianNoise.seeded(21).addTo(range, 0.5);
        assertArrayEquals(expected, range.toFloatVector(), 0f);
        assertEquals(0, longer.get(NDArrayIndex.interval(0, 10)).sumNumber().doubleValue());
        assertEquals(0, longer.get(NDArrayIndex.interval(10 + n, n + 20)).sumNumber().doubleValue());

        INDArray fOrder = Nd4j.createFromArray(base).reshape('c', 6, 10).dup('f');
        GaussianNoise.seeded(21).addTo(fOrder, 0.5);
        assertArrayEquals(expected, fOrder.dup('c').reshape(n).toFloatVector(), 0f);

        INDArray wide = Nd4j.zeros(DataType.FLOAT, n, 3);
        INDArray column = wide.getColumn(1);
        column.assign(Nd4j.createFromArray(base));
        GaussianNoise.seeded(21).addTo(column, 0.5);
        assertArrayEquals(expected, wide.getColumn(1).toFloatVector(), 0f);
        assertEquals(0, wide.getColumn(0).sumNumber().doubleValue());
        assertEquals(0, wide.getColumn(2).sumNumber().doubleValue());
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
        assertThrows(IllegalArgumentException.class,
                () -> GaussianNoise.seeded(1).addTo(Nd4j.zeros(DataType.DOUBLE, 3), 1));
        assertThrows(IllegalArgumentException.class,
                () -> GaussianNoise.seeded(1).addTo(Nd4j.zeros(DataType.FLOAT, 3), Double.NaN));
    }

    /** The ziggurat one draw at a time, every wedge point decided by the exp (Marsaglia and Tsang 2000). */
    private static double textbook(KeystreamRandom bits) {
        for (;;) {
            long w = bits.nextLong();
            int layer = (int) w & (NormalZiggurat.LAYERS - 1);
            double u = ((w >> 12) + 0.5) * 0x1.0p-51;
            double x = u * NormalZiggurat.edge(layer);
            if (Math.abs(u) < NormalZiggurat.edge(layer + 1) / NormalZiggurat.edge(layer)) {
                return x;
            }
            if (layer == 0) {
                double r = NormalZiggurat.R;
                double t;
                double e;
                do {
                    t = -StrictMath.log(((bits.nextLong() >>> 11) + 1) * 0x1.0p-53) / r;
                    e = -StrictMath.log(((bits.nextLong() >>> 11) + 1) * 0x1.0p-53);
                } while (e + e < t * t);
                return u < 0 ? -(r + t) : r + t;
            }
            double f0 = NormalZiggurat.height(layer);
            double y = f0 + ((bits.nextLong() >>> 11) * 0x1.0p-53) * (NormalZiggurat.height(layer + 1) - f0);
            if (y < StrictMath.exp(-0.5 * x * x)) {
                return x;
            }
        }
    }

    /** Φ(b) − Φ(a) by composite Simpson with 64 panels (error below 1e-12 for |b − a| = 0.08). */
    private static double normalMass(double a, double b) {
        int m = 64;
        double h = (b - a) / m;
        double s = phi(a) + phi(b);
        for (int k = 1; k < m; k++) {
            s += (k % 2 == 1 ? 4 : 2) * phi(a + k * h);
        }
        return s * h / 3;
    }

    private static double phi(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    private static double lagCorrelation(float[] x, boolean squares) {
        int n = x.length - 1;
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int i = 0; i < n; i++) {
            double a = squares ? (double) x[i] * x[i] : x[i];
            double b = squares ? (double) x[i + 1] * x[i + 1] : x[i + 1];
            sa += a;
            sb += b;
            saa += a * a;
            sbb += b * b;
            sab += a * b;
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }
}
