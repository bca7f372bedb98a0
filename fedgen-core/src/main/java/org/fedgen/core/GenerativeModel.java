package org.fedgen.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A {@link TrainableModel} that can draw samples, which lets clients score their generator (e.g. by MMD). */
public interface GenerativeModel extends TrainableModel {
    /**
     * Draws {@code n} samples from the current parameters.
     *
     * @return an [n, d] float32 matrix in the training data's feature space (for digits: pixels in [0, 1])
     */
    INDArray sample(int n, long seed);
}
