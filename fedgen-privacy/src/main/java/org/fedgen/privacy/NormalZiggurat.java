package org.fedgen.privacy;

/**
 * The ziggurat method for standard normal numbers (Marsaglia and Tsang 2000, in the floating-point form of Doornik
 * 2005) with 256 layers of equal area under f(x) = exp(−x²/2): a draw picks a layer and a signed uniform, and in about
 * 99 % of draws the point lies inside the layer's inner rectangle, so the result is one multiply. The rest are the
 * wedges (one {@link StrictMath#exp}) and the base layer's tail beyond R (Marsaglia's 1964 tail method, two
 * {@link StrictMath#log}).
 *
 * <p>Each attempt takes one 64-bit word: bits 0–7 pick the layer and bits 12–63 the signed uniform, so the two never
 * share bits (the correlation Leong et al. 2005 found came from reusing bits of a weak generator). The tables are
 * computed once from R with {@link StrictMath} and the tail area from Laplace's continued fraction, and the sampler uses
 * only StrictMath and IEEE arithmetic, so a seeded stream gives the same numbers on every JVM.
 */
final class NormalZiggurat {
    /** Number of layers. */
    static final int LAYERS = 256;
    /** Where the base layer's tail starts, for 256 layers (Marsaglia and Tsang 2000). */
    static final double R = 3.6541528853610088;
    private static final double TWO_POW_MINUS_51 = 0x1.0p-51;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    /** The area of every layer, V = R·f(R) + ∫_R^∞ f. */
    static final double AREA;
    /** X[i]: the right edge of layer i's rectangle (X[0] = V / f(R), the base layer's virtual width; X[256] = 0). */
    private static final double[] X = new double[LAYERS + 1];
    /** F[i] = f(X[i]). */
    private static final double[] F = new double[LAYERS + 1];
    /** X[i + 1] / X[i]: below it, a point of layer i is inside the density for sure. */
    private static final double[] INNER = new double[LAYERS];

    static {
        double fr = f(R);
        AREA = R * fr + fr * millsRatio(R);
        X[0] = AREA / fr;
        X[1] = R;
        for (int i = 2; i < LAYERS; i++) {
            X[i] = StrictMath.sqrt(-2 * StrictMath.log(AREA / X[i - 1] + f(X[i - 1])));
        }
        X[LAYERS] = 0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = f(X[i]);
        }
        for (int i = 0; i < LAYERS; i++) {
            INNER[i] = X[i + 1] / X[i];
        }
    }

    private NormalZiggurat() {
    }

    /** One standard normal number from {@code bits}. */
    static double sample(KeystreamRandom bits) {
        for (;;) {
            long w = bits.nextLong();
            int layer = (int) w & (LAYERS - 1);
            // (k + 1/2) / 2^51 for k in [-2^51, 2^51): symmetric in (-1, 1), exact in a double
            double u = ((w >> 12) + 0.5) * TWO_POW_MINUS_51;
            double x = u * X[layer];
            if (Math.abs(u) < INNER[layer]) {
                return x;
            }
            if (layer == 0) {
                return tail(bits, u < 0);
            }
            // the wedge: a uniform height in the layer, accepted under the density
            double y = F[layer] + uniform(bits) * (F[layer + 1] - F[layer]);
            if (y < StrictMath.exp(-0.5 * x * x)) {
                return x;
            }
        }
    }

    /** The area of the top layer as the tables give it (V when R is exact): a check of the tables. */
    static double topLayerArea() {
        return X[LAYERS - 1] * (1 - F[LAYERS - 1]);
    }

    /** A draw from the normal tail beyond R, with the given sign (Marsaglia 1964). */
    private static double tail(KeystreamRandom bits, boolean negative) {
        double x;
        double y;
        do {
            x = -StrictMath.log(openUniform(bits)) / R;
            y = -StrictMath.log(openUniform(bits));
        } while (y + y < x * x);
        return negative ? -(R + x) : R + x;
    }

    /** [0, 1) in steps of 2^-53. */
    private static double uniform(KeystreamRandom bits) {
        return (bits.nextLong() >>> 11) * TWO_POW_MINUS_53;
    }

    /** (0, 1] in steps of 2^-53: the log never sees 0. */
    private static double openUniform(KeystreamRandom bits) {
        return ((bits.nextLong() >>> 11) + 1) * TWO_POW_MINUS_53;
    }

    private static double f(double x) {
        return StrictMath.exp(-0.5 * x * x);
    }

    /** ∫_x^∞ f / f(x) by Laplace's continued fraction 1/(x + 1/(x + 2/(x + 3/(x + ...)))), evaluated backwards. */
    private static double millsRatio(double x) {
        double t = x;
        for (int k = 400; k >= 1; k--) {
            t = x + k / t;
        }
        return 1 / t;
    }
}
