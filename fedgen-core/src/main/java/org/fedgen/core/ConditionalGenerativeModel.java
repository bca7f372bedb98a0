package org.fedgen.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link GenerativeModel} that can be conditioned on a class label: {@link #sample(int[], long)} draws one sample
 * per requested label, which is what class-conditional quality metrics and per-class sample grids need.
 *
 * <p>A family may be conditional or not depending on its configuration; such a model implements this interface and
 * reports {@link #numClasses()} = 0 when the instance at hand is unconditional, and then refuses
 * {@link #sample(int[], long)}. For a conditional instance {@link #sample(int, long)} cycles the labels 0, 1, ...,
 * numClasses − 1, 0, ... over the rows, so {@code sample(n, seed)} equals {@code sample(cycle, seed)} for that cycle.
 */
public interface ConditionalGenerativeModel extends GenerativeModel {
    /** The number of classes the labels range over; 0 when this instance is unconditional. */
    int numClasses();

    /**
     * One sample per label from the current parameters.
     *
     * @param labels class labels, each in [0, {@link #numClasses()}), at least one
     * @return a [labels.length, d] float32 matrix in the training data's feature space, row i for labels[i]
     * @throws IllegalArgumentException if this instance is unconditional, labels is empty or a label is out of range
     */
    INDArray sample(int[] labels, long seed);
}
