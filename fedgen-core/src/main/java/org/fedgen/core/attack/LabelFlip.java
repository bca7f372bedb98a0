package org.fedgen.core.attack;

import org.fedgen.core.data.Dataset;

/**
 * Data poisoning for conditional models: the attacker trains on its own examples with every label y replaced by
 * C − 1 − y (digit 0 labelled 9, 1 labelled 8, ...), so its conditional model learns the wrong class per label.
 */
public final class LabelFlip {
    private final int numClasses;

    /** @param numClasses C ≥ 2 */
    public LabelFlip(int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("label flip needs >= 2 classes, got " + numClasses);
        }
        this.numClasses = numClasses;
    }

    /** The poisoned copy of an attacker's data (the features are shared, the labels are new). */
    public Dataset apply(Dataset data) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("label flip needs labelled data");
        }
        int[] y = data.labels();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= numClasses) {
                throw new IllegalArgumentException("label " + y[i] + " of example " + i + " is outside [0, "
                        + numClasses + ")");
            }
            y[i] = numClasses - 1 - y[i];
        }
        return new Dataset(data.features(), y, data.itemShape());
    }
}
