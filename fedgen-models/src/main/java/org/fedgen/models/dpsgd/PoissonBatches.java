package org.fedgen.models.dpsgd;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Batches of record indices for DP-SGD. {@link #poisson}: every index in [0, n) joins a batch independently with
 * probability q, drawn by geometric gaps (the gap to the next member is ⌊ln U / ln(1 − q)⌋, which has exactly the law
 * of the run of non-members between Bernoulli(q) successes), so a step costs about q·n draws instead of n.
 * {@link #fixedSize}: exactly B distinct indices (Floyd's algorithm), sorted. Not thread-safe.
 */
public final class PoissonBatches {
    private final int n;
    private final double q;
    private final int fixed;
    private final RandomGenerator rng;
    private final double logOneMinusQ;
    private int[] scratch = new int[16];

    private PoissonBatches(int n, double q, int fixed, RandomGenerator rng) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one record, got n = " + n);
        }
        this.n = n;
        this.q = q;
        this.fixed = fixed;
        this.rng = rng;
        this.logOneMinusQ = Math.log1p(-q);
    }

    /**
     * @throws IllegalArgumentException if n &lt; 1 or q is not in (0, 1]
     */
    public static PoissonBatches poisson(int n, double q, RandomGenerator rng) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("Poisson batch rate q must be in (0, 1], got " + q);
        }
        return new PoissonBatches(n, q, 0, rng);
    }

    /**
     * @throws IllegalArgumentException if batchSize is not in [1, n]
     */
    public static PoissonBatches fixedSize(int n, int batchSize, RandomGenerator rng) {
        if (batchSize < 1 || batchSize > n) {
            throw new IllegalArgumentException("fixed batch size must be in [1, " + n + "], got " + batchSize);
        }
        return new PoissonBatches(n, (double) batchSize / n, batchSize, rng);
    }

    /** The next batch: increasing record indices; a Poisson batch may be empty. */
    public int[] next() {
        return fixed > 0 ? nextFixed() : nextPoisson();
    }

    private int[] nextPoisson() {
        if (q == 1) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int count = 0;
        long i = -1;
        while (true) {
            // 1 − U is in (0, 1], so the log is finite
            double gap = Math.floor(Math.log(1 - rng.nextDouble()) / logOneMinusQ);
            i += 1 + (long) Math.min(gap, n);
            if (i >= n) {
                break;
            }
            if (count == scratch.length) {
                scratch = Arrays.copyOf(scratch, 2 * count);
            }
            scratch[count++] = (int) i;
        }
        return Arrays.copyOf(scratch, count);
    }

    private int[] nextFixed() {
        // Floyd: for j = n − B … n − 1 add a uniform t in [0, j], or j itself if t is taken.
        java.util.HashSet<Integer> chosen = new java.util.HashSet<>(2 * fixed);
        for (int j = n - fixed; j < n; j++) {
            int t = rng.nextInt(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        int[] out = chosen.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }
}
