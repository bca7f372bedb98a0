package org.fedgen.models.batch;

import java.util.SplittableRandom;

/**
 * Draws fixed-size minibatches of example indices from a seeded stream of shuffled epochs: a batch that runs past the
 * end of an epoch continues in the next permutation, so every batch has the same size and a model's buffers can be
 * reused across steps. Shared by the GAN (and MD-GAN clients) and the DDPM.
 */
public final class FixedSizeBatches {
    private final int n;
    private final int batch;
    private final SplittableRandom rng;
    private final int[] perm;
    private int pos;

    /**
     * A batch larger than n spans several epochs.
     *
     * @throws IllegalArgumentException if n or batch is below 1
     */
    public FixedSizeBatches(int n, int batch, long seed) {
        if (n < 1 || batch < 1) {
            throw new IllegalArgumentException("need n >= 1 and batch >= 1, got batch " + batch + " and n " + n);
        }
        this.n = n;
        this.batch = batch;
        this.rng = new SplittableRandom(seed);
        this.perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        pos = n;
    }

    /** The next batch of indices. */
    public int[] next() {
        int[] out = new int[batch];
        for (int i = 0; i < batch; i++) {
            if (pos == n) {
                shuffle();
                pos = 0;
            }
            out[i] = perm[pos++];
        }
        return out;
    }

    private void shuffle() {
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }
}
