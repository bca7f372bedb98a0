package org.fedgen.core.data;

import java.util.SplittableRandom;

/** Seeded Fisher–Yates shuffles shared by the partitioners. */
final class Shuffle {
    private Shuffle() {
    }

    /** Shuffles {@code a[from, to)} in place. */
    static void shuffle(int[] a, int from, int to, SplittableRandom rng) {
        for (int i = to - 1; i > from; i--) {
            int j = from + rng.nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code 0 .. n - 1} in a seeded random order. */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, 0, n, rng);
        return p;
    }

    /** Rejects numClients below 1, naming it. */
    static void checkNumClients(int numClients) {
        if (numClients < 1) {
            throw new IllegalArgumentException("numClients must be >= 1, got " + numClients);
        }
    }
}
