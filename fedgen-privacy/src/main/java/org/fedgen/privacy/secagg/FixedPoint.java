package org.fedgen.privacy.secagg;

/**
 * The fixed-point code that turns clipped float updates into elements of the ring Z_{2^24} and sums back into floats.
 * With b quantisation bits and range R, the scale is s = (2^(b−1) − 1)/R: a coordinate x is clamped to [−R, R] and
 * rounded deterministically to the nearest integer q = round(x·s) ({@link Math#round}: halves round up), so
 * |q| ≤ 2^(b−1) − 1, stored modulo 2^24. A sum of n codes is decoded exactly as long as
 * n·(2^(b−1) − 1) &lt; 2^23, which {@link #maxSummands()} states; each coordinate of the decoded sum then differs from
 * the sum of the clamped inputs by at most n/(2s).
 *
 * <p>The ring is Z_{2^24} rather than Z_{2^32} because masked elements travel in the float32 payload of a
 * {@link org.fedgen.core.ClientUpdate}, which holds every integer below 2^24 exactly.
 */
public final class FixedPoint {
    /** Bits of the ring the masked values live in. */
    public static final int RING_BITS = 24;
    static final int RING_MASK = (1 << RING_BITS) - 1;
    private static final int HALF = 1 << (RING_BITS - 1);

    private final int bits;
    private final double range;
    private final double scale;

    /**
     * @param bits  quantisation bits b, in [2, 23]
     * @param range R &gt; 0: coordinates are clamped to [−R, R]
     */
    public FixedPoint(int bits, double range) {
        if (bits < 2 || bits > RING_BITS - 1) {
            throw new IllegalArgumentException("quantisation bits must be in [2, " + (RING_BITS - 1) + "], got "
                    + bits);
        }
        if (!(range > 0) || !Double.isFinite(range)) {
            throw new IllegalArgumentException("quantisation range must be positive and finite, got " + range);
        }
        this.bits = bits;
        this.range = range;
        this.scale = ((1L << (bits - 1)) - 1) / range;
    }

    /** b, the quantisation bits. */
    public int bits() {
        return bits;
    }

    /** R, the clamp range. */
    public double range() {
        return range;
    }

    /** s, codes per unit. */
    public double scale() {
        return scale;
    }

    /** The largest number of codes whose sum decodes without wrapping around the ring. */
    public int maxSummands() {
        return (int) ((HALF - 1) / ((1L << (bits - 1)) - 1));
    }

    /** The bound on |decoded sum − Σ clamped inputs| per coordinate for a sum of n codes: n/(2s). */
    public double sumErrorBound(int n) {
        return n / (2 * scale);
    }

    /** The code of x: clamped, rounded, reduced modulo 2^24. */
    int encode(double x) {
        double c = Math.max(-range, Math.min(range, x));
        return (int) Math.round(c * scale) & RING_MASK;
    }

    /** A ring element read as a signed sum of codes, divided by the scale. */
    double decode(int ringSum) {
        int r = ringSum & RING_MASK;
        int signed = r >= HALF ? r - (1 << RING_BITS) : r;
        return signed / scale;
    }

    @Override
    public String toString() {
        return "FixedPoint(bits=" + bits + ", range=" + range + ", ring=2^" + RING_BITS + ")";
    }
}
