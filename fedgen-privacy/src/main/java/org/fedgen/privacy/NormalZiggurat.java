package org.fedgen.privacy;

/**
 * The ziggurat method for standard normal numbers (Marsaglia and Tsang 2000, in the floating-point form of Doornik
 * 2005) with 256 layers of equal area under f(x) = exp(−x²/2): a draw picks a layer and a signed uniform, and in about
 * 98.5 % of draws the point lies inside the layer's inner rectangle, so the result is one multiply. The rest are the
 * wedges, where a point is accepted under f, and the base layer's tail beyond R (Marsaglia's 1964 tail method, two
 * {@link StrictMath#log}). A wedge point is first compared with two lines that bound f on the wedge; only the
 * 7 % of wedge points between them (about 0.1 % of draws) need {@link StrictMath#exp}, which costs about 80 ns on
 * JDK 17 (more than a hundred inner-rectangle draws). The lines lie a margin away from f, so they decide exactly as
 * the exp would: the numbers are those of the textbook method.
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
    /**
     * Absolute slack of the wedge's linear bounds of f: far above the rounding of the bounds and of
     * {@code StrictMath.exp(-0.5 * x * x)} (a few 1e-16 for values up to 1), so the bounds decide as the exp would.
     */
    static final double SQUEEZE_SLACK = 1e-12;
    /**
     * Per wedge layer i, lines below and above f on [X[i + 1], X[i]] (lower − slack: ACCEPT0 + ACCEPT1·|x|; upper +
     * slack: REJECT0 + REJECT1·|x|): f is convex beyond 1 (f'' = (x² − 1) f), where the chord lies above it and the
     * tangent at the midpoint below, and concave below 1, where they swap. The layer that contains 1 and the base
     * layer get bounds that never decide.
     */
    private static final double[] ACCEPT0 = new double[LAYERS];
    private static final double[] ACCEPT1 = new double[LAYERS];
    private static final double[] REJECT0 = new double[LAYERS];
    private static final double[] REJECT1 = new double[LAYERS];

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
        for (int i = 0; i < LAYERS; i++) {
            double lo = X[i + 1];
            double hi = X[i];
            boolean convex = lo >= 1;
            if (i == 0 || !(convex || hi <= 1)) {
                ACCEPT0[i] = -1; // y >= 0: never below
                REJECT0[i] = 2; // y < 1: never above
                continue;
            }
            double chord1 = (F[i] - F[i + 1]) / (hi - lo);
            double chord0 = F[i + 1] - chord1 * lo;
            double c = 0.5 * (lo + hi);
            double fc = f(c);
            double tangent1 = -c * fc;
            double tangent0 = fc * (1 + c * c);
            ACCEPT0[i] = (convex ? tangent0 : chord0) - SQUEEZE_SLACK;
            ACCEPT1[i] = convex ? tangent1 : chord1;
            REJECT0[i] = (convex ? chord0 : tangent0) + SQUEEZE_SLACK;
            REJECT1[i] = convex ? chord1 : tangent1;
        }
    }

    private NormalZiggurat() {
    }

    /** One standard normal number from {@code bits}. */
    static double sample(KeystreamRandom bits) {
        long w = bits.nextLong();
        int layer = (int) w & (LAYERS - 1);
        double u = signedUniform(w);
        if (Math.abs(u) < INNER[layer]) {
            return u * X[layer];
        }
        return outside(bits, w);
    }

    /**
     * Adds {@code (float) (std · z)} to {@code a[from]}, …, {@code a[to − 1]} in float32 arithmetic, z the successive
     * results of {@link #sample}: the same words of {@code bits} in the same order, so the same bits as a loop over
     * {@code sample}, but read straight from the keystream block in a loop that only takes the inner-rectangle case
     * and leaves for the rest.
     */
    static void addScaled(KeystreamRandom bits, float[] a, int from, int to, double std) {
        scaled(bits, a, from, to, std, true);
    }

    /** As {@link #addScaled}, but writes {@code (float) (std · z)} instead of adding it. */
    static void fillScaled(KeystreamRandom bits, float[] a, int from, int to, double std) {
        scaled(bits, a, from, to, std, false);
    }

    // One loop for both: writing is not adding to zero (0 + −0.0 is +0.0), and the JIT unswitches on the flag.
    private static void scaled(KeystreamRandom bits, float[] a, int from, int to, double std, boolean add) {
        int i = from;
        while (i < to) {
            byte[] block = bits.block();
            int p = bits.position();
            int n = Math.min(to - i, (KeystreamRandom.BUFFER_BYTES - p) >>> 3);
            int k = 0;
            for (; k < n; k++) {
                long w = KeystreamRandom.word(block, p + (k << 3));
                int layer = (int) w & (LAYERS - 1);
                double u = signedUniform(w);
                if (!(Math.abs(u) < INNER[layer])) {
                    break;
                }
                float v = (float) (std * (u * X[layer]));
                a[i + k] = add ? a[i + k] + v : v;
            }
            i += k;
            bits.seek(p + (k << 3));
            if (k < n) {
                // the word at the stop failed the inner test: the rest of that draw out of line
                float v = (float) (std * outside(bits, bits.nextLong()));
                a[i] = add ? a[i] + v : v;
                i++;
            }
        }
    }

    /** (k + 1/2) / 2^51 for the signed k in bits 12–63: symmetric in (−1, 1), exact in a double. */
    private static double signedUniform(long w) {
        return ((w >> 12) + 0.5) * TWO_POW_MINUS_51;
    }

    /** The draw whose first word {@code w} fell outside its layer's inner rectangle: wedge, tail or a new attempt. */
    private static double outside(KeystreamRandom bits, long w) {
        for (;;) {
            int layer = (int) w & (LAYERS - 1);
            double u = signedUniform(w);
            double x = u * X[layer];
            if (Math.abs(u) < INNER[layer]) {
                return x;
            }
            if (layer == 0) {
                return tail(bits, u < 0);
            }
            // the wedge: a uniform height in the layer, accepted under the density; the linear bounds settle all but
            // a sliver next to the curve, where the exp decides
            double y = F[layer] + uniform(bits) * (F[layer + 1] - F[layer]);
            int settled = squeeze(layer, Math.abs(x), y);
            if (settled > 0 || settled == 0 && y < StrictMath.exp(-0.5 * x * x)) {
                return x;
            }
            w = bits.nextLong();
        }
    }

    /**
     * What the wedge's linear bounds say of the point (|x|, y) in {@code layer}: 1 below the curve for sure (accept),
     * −1 above it for sure (reject), 0 too close to tell.
     */
    static int squeeze(int layer, double ax, double y) {
        if (y < ACCEPT0[layer] + ACCEPT1[layer] * ax) {
            return 1;
        }
        return y > REJECT0[layer] + REJECT1[layer] * ax ? -1 : 0;
    }

    /** X[i], the right edge of layer i's rectangle, for tests. */
    static double edge(int i) {
        return X[i];
    }

    /** F[i] = f(X[i]), for tests. */
    static double height(int i) {
        return F[i];
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
