package org.fedgen.models.train;

import java.util.Objects;
import org.fedgen.core.data.Dataset;

/** The checks every family makes on the data it is asked to fit, evaluate or differentiate on. */
public final class TrainingData {
    private TrainingData() {
    }

    /**
     * @param model     the model's name in messages, e.g. "VAE"
     * @param features  the feature count the model expects
     * @param numClasses the classes of a conditional model, 0 for an unconditional one
     * @return the number of examples
     * @throws IllegalArgumentException if the data are empty, have another feature count, or a conditional model gets
     *                                  unlabelled data
     */
    public static int check(Dataset data, String model, long features, int numClasses) {
        Objects.requireNonNull(data, "data");
        if (data.size() < 1) {
            throw new IllegalArgumentException("data must hold at least one example, got " + data);
        }
        if (data.numFeatures() != features) {
            throw new IllegalArgumentException("data has " + data.numFeatures() + " features but the " + model
                    + " expects " + features);
        }
        if (numClasses > 0 && !data.hasLabels()) {
            throw new IllegalArgumentException("the conditional " + model + " (" + numClasses
                    + " classes) needs labelled data, got " + data);
        }
        return data.size();
    }
}
