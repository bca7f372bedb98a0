package org.fedgen.models.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A first-order optimizer over one flat float32 parameter vector and its flat gradient of the same length. State
 * (if any) is kept in preallocated buffers; {@link #reset()} returns it to the freshly created state, which is how
 * every local fit starts. Instances are not thread-safe: one per model instance.
 */
public interface FlatOptimizer {

    /** Forgets all state (moments, step count), as if newly created; allocates nothing. */
    void reset();

    /**
     * Updates {@code params} in place from {@code grad}.
     *
     * @param params       the flat float32 parameter vector, updated in place
     * @param grad         its gradient (same length and type); used as scratch, so its contents are undefined after
     * @param learningRate the step size, finite and &gt;= 0
     * @throws IllegalArgumentException if a length or data type does not match, or the learning rate is invalid
     */
    void step(INDArray params, INDArray grad, double learningRate);

    /** The parameter vector length this optimizer was built for. */
    long length();
}
