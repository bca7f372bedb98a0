package org.fedgen.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded split of a dataset into kept and held-out examples: the examples are put in a random order drawn from the
 * seed, and the last ⌊n / every⌋ of that order are held out (none when n &lt; every). Both parts keep the random order.
 */
public final class HeldOutSplit {
    private HeldOutSplit() {
    }

    /**
     * The two parts of a split.
     *
     * @param kept    the examples not held out
     * @param heldOut the held-out examples
     */
    public record Parts(Dataset kept, Dataset heldOut) {
    }

    /**
     * Splits {@code data}, holding out one example in {@code every}.
     *
     * @throws IllegalArgumentException if {@code every} &lt; 2
     */
    public static Parts split(Dataset data, int every, long seed) {
        if (every < 2) {
            throw new IllegalArgumentException("held-out share 1/" + every + " must have a denominator >= 2");
        }
        int n = data.size();
        int[] order = Shuffle.permutation(n, new SplittableRandom(seed));
        int keep = n - n / every;
        return new Parts(data.subset(Arrays.copyOfRange(order, 0, keep)),
                data.subset(Arrays.copyOfRange(order, keep, n)));
    }
}
