package org.fedgen.privacy.secagg;

/**
 * The public parameters of secure aggregation, the same on the server and every client.
 *
 * @param threshold  t: shares needed to reconstruct a client's secrets, and the fewest survivors a round can finish
 *                   with; t ≥ 1 (Bonawitz et al. recommend more than half of the clients), or 0 for a majority of
 *                   each round's share holders ({@link #thresholdFor}), which follows a round's size when clients
 *                   are sampled
 * @param bits       quantisation bits b of each coordinate ({@link FixedPoint})
 * @param range      R: every coordinate of the weighted, clipped update is clamped to [−R, R]
 * @param neighbours k: 0 to mask and share with every other client of the round (Bonawitz 2017), or an even k ≥ 2 for
 *                   a random k-regular graph (SecAgg+, Bell et al. 2020); a client shares among its k neighbours and
 *                   itself, so t ≤ k + 1
 * @param clipNorm   S: each client scales its weighted update to L2 norm at most S before quantising; 0 for none
 * @param weightCap  0 for uniform weights (every survivor counts 1); else client k counts min(n_k, cap)/cap, so no
 *                   client outweighs one holding {@code weightCap} examples
 */
public record SecAggConfig(int threshold, int bits, double range, int neighbours, double clipNorm, long weightCap) {
    /** Quantisation bits unless configured: 2^15 − 1 levels on each side of 0. */
    public static final int DEFAULT_BITS = 16;
    /** Range unless configured. */
    public static final double DEFAULT_RANGE = 1.0;

    public SecAggConfig {
        if (threshold < 0) {
            throw new IllegalArgumentException("secure aggregation threshold must be >= 1, or 0 for a majority of"
                    + " each round's share holders, got " + threshold);
        }
        new FixedPoint(bits, range);
        if (neighbours < 0 || neighbours % 2 != 0) {
            throw new IllegalArgumentException("secure aggregation neighbours must be 0 (all pairs) or an even number"
                    + " >= 2, got " + neighbours);
        }
        if (neighbours > 0 && threshold > neighbours + 1) {
            throw new IllegalArgumentException("secure aggregation threshold " + threshold + " exceeds the "
                    + (neighbours + 1) + " share holders of a client with " + neighbours + " neighbours");
        }
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("secure aggregation clip norm must be >= 0 and finite, got "
                    + clipNorm);
        }
        if (weightCap < 0) {
            throw new IllegalArgumentException("secure aggregation weight cap must be >= 0, got " + weightCap);
        }
    }

    /**
     * The threshold of a round in which each client shares its secrets among {@code holders} clients (itself
     * included): the configured t, or for t = 0 the majority ⌊holders/2⌋ + 1.
     */
    public int thresholdFor(int holders) {
        return threshold > 0 ? threshold : holders / 2 + 1;
    }

    /** The share holders of each client in a round of {@code clients}: all of them, or its neighbours and itself. */
    public int holders(int clients) {
        return neighbours == 0 || neighbours >= clients - 1 ? clients : neighbours + 1;
    }

    /** The fixed-point code these parameters define. */
    public FixedPoint codec() {
        return new FixedPoint(bits, range);
    }

    /** The weight of a client that trained on {@code numExamples} examples. */
    public double weight(long numExamples) {
        return weightCap == 0 ? 1.0 : Math.min(numExamples, weightCap) / (double) weightCap;
    }
}
