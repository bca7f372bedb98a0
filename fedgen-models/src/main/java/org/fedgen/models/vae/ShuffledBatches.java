package org.fedgen.models.vae;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Minibatch indices over n examples: each epoch is a fresh seeded permutation cut into batches of {@code batchSize},
 * the last one partial when n is not a multiple; epochs follow each other for as many batches as asked.
 */
final class ShuffledBatches {
    private final int[] order;
    private final int batchSize;
    private final SplittableRandom rng;
    private int position;

    ShuffledBatches(int n, int batchSize, long seed) {
        if (n < 1 || batchSize < 1) {
            throw new IllegalArgumentException("need n >= 1 and batchSize >= 1, got n=" + n + ", batchSize="
                    + batchSize);
        }
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        this.batchSize = batchSize;
        this.rng = new SplittableRandom(seed);
        this.position = n;
    }

    /** Number of batches in one epoch. */
    static int batchesPerEpoch(int n, int batchSize) {
        return (n + batchSize - 1) / batchSize;
    }

    /** The next batch's example indices. */
    int[] next() {
        if (position == order.length) {
            shuffle();
            position = 0;
        }
        int end = Math.min(position + batchSize, order.length);
        int[] batch = Arrays.copyOfRange(order, position, end);
        position = end;
        return batch;
    }

    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
