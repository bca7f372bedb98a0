package org.fedgen.privacy.secagg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.junit.jupiter.api.Test;

/**
 * What the server holds of one client is indistinguishable from uniform: the masked values of a client whose update
 * is all zeros (the most regular input there is) pass a chi-square test on their top 8 bits and a Kolmogorov–Smirnov
 * test against U[0, 2^24), both at the 0.001 level, while the unmasked codes fail both.
 */
class MaskedUpdateUniformityTest {
    /** χ²(255) upper 0.001 quantile. */
    private static final double CHI2_255_999 = 330.52;
    /** Kolmogorov's asymptotic 0.001 critical value of √n·D. */
    private static final double KS_999 = 1.949;

    private static double chiSquareTop8(int[] values) {
        long[] counts = new long[256];
        for (int v : values) {
            counts[v >>> (FixedPoint.RING_BITS - 8)]++;
        }
        double expected = values.length / 256.0;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        return chi2;
    }

    private static double ksStatistic(int[] values) {
        double[] u = new double[values.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = values[i] / (double) (1 << FixedPoint.RING_BITS);
        }
        Arrays.sort(u);
        double d = 0;
        for (int i = 0; i < u.length; i++) {
            d = Math.max(d, Math.max((i + 1.0) / u.length - u[i], u[i] - (double) i / u.length));
        }
        return Math.sqrt(u.length) * d;
    }

    private static int[] ring(ClientUpdate u) {
        float[] a = u.part("a").toFloatVector();
        float[] b = u.part("b").toFloatVector();
        int[] r = new int[a.length + b.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (int) a[i];
        }
        for (int i = 0; i < b.length; i++) {
            r[a.length + i] = (int) b[i];
        }
        return r;
    }

    @Test
    void aSingleMaskedUpdatePassesUniformityTestsThatItsPlainCodesFail() {
        Federation f = new Federation(new SecAggConfig(2, 16, 1.0, 0, 0, 0), 3, 0.0, Set.of());
        FitInstructions ins = f.aggregator.configureRound(FitInstructions.builder().round(1).build(), f.initial,
                List.of(0, 1, 2));
        for (int k = 0; k < 3; k++) {
            int[] masked = ring(f.proxies.get(k).fit(f.initial, ins).join());
            double chi2 = chiSquareTop8(masked);
            double ks = ksStatistic(masked);
            assertTrue(chi2 < CHI2_255_999, "client " + k + ": chi-square " + chi2);
            assertTrue(ks < KS_999, "client " + k + ": KS sqrt(n)D " + ks);
        }
        int[] plain = new int[Federation.A + Federation.B];
        FixedPoint codec = f.config.codec();
        for (int i = 0; i < plain.length; i++) {
            plain[i] = codec.encode(0.0);
        }
        assertTrue(chiSquareTop8(plain) > CHI2_255_999);
        assertTrue(ksStatistic(plain) > KS_999);
    }
}
