package org.fedgen.models.metrics;

import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;

/**
 * The one split of the bundled digits that everybody uses: the first {@value #TRAIN_SIZE} digits are the training pool
 * (for the quality classifier and for federated clients), the last {@value #HELD_OUT_SIZE} are held out for measuring
 * sample quality and are never trained on by the classifier or by any client.
 *
 * <p>Both datasets are loaded once and shared: treat their feature matrices as read-only.
 */
public final class DigitsSplit {
    /** Size of the training pool: bundled digits [0, 7000). */
    public static final int TRAIN_SIZE = 7000;
    /** Size of the held-out set: bundled digits [7000, 8000). */
    public static final int HELD_OUT_SIZE = Digits.BUNDLED_SIZE - TRAIN_SIZE;

    private DigitsSplit() {
    }

    /** The training pool, bundled digits [0, 7000), labelled, item shape [1, 28, 28]. */
    public static Dataset train() {
        return Holder.TRAIN;
    }

    /** The held-out digits, bundled digits [7000, 8000), labelled, item shape [1, 28, 28]. */
    public static Dataset heldOut() {
        return Holder.HELD_OUT;
    }

    private static final class Holder {
        private static final Dataset TRAIN;
        private static final Dataset HELD_OUT;

        static {
            Dataset all = Digits.bundled();
            TRAIN = all.range(0, TRAIN_SIZE);
            HELD_OUT = all.range(TRAIN_SIZE, all.size());
        }
    }
}
