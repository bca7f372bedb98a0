package org.fedgen.models.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Minibatch indices over n examples from a seeded stream of shuffled epochs: each epoch is a Fisher–Yates shuffle of
 * the previous epoch's order, drawn from one {@link SplittableRandom}.
 *
 * <p>Two ways to cut the stream: {@link #fixedSize} fills every batch to the same size, continuing into the next
 * epoch's order when one runs out (so buffers can be reused across steps; a batch larger than n spans several epochs);
 * {@link #epochAligned} ends each batch at the epoch boundary, so the last batch of an epoch is partial when n is not
 * a multiple of the batch size. Not thread-safe.
 */
public final class BatchSampler {
    private final int[] order;
    private final int batchSize;
    private final boolean fixed;
    private final SplittableRandom rng;
    private int position;

    private BatchSampler(int n, int batchSize, long seed, boolean fixed) {
        if (n < 1 || batchSize < 1) {
            throw new IllegalArgumentException("need n >= 1 and batchSize >= 1, got n=" + n + ", batchSize="
                    + batchSize);
        }
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        this.batchSize = batchSize;
        this.fixed = fixed;
        this.rng = new SplittableRandom(seed);
        this.position = n;
    }

    /** Batches of exactly {@code batchSize} indices, crossing epoch boundaries. */
    public static BatchSampler fixedSize(int n, int batchSize, long seed) {
        return new BatchSampler(n, batchSize, seed, true);
    }

    /** Batches of up to {@code batchSize} indices that never cross an epoch boundary. */
    public static BatchSampler epochAligned(int n, int batchSize, long seed) {
        return new BatchSampler(n, batchSize, seed, false);
    }

    /** The next batch's example indices (a new array). */
    public int[] next() {
        if (!fixed) {
            refillIfDone();
            int end = Math.min(position + batchSize, order.length);
            int[] batch = Arrays.copyOfRange(order, position, end);
            position = end;
            return batch;
        }
        int[] batch = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            refillIfDone();
            batch[i] = order[position++];
        }
        return batch;
    }

    private void refillIfDone() {
        if (position < order.length) {
            return;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        position = 0;
    }
}
