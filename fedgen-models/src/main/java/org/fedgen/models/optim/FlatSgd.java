package org.fedgen.models.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Plain gradient descent, w ← w − lr·g, as one BLAS axpy. Stateless; {@link #reset()} does nothing. */
public final class FlatSgd implements FlatOptimizer {
    private final long length;

    /**
     * @param length the parameter vector length, &gt; 0
     * @throws IllegalArgumentException if {@code length <= 0}
     */
    public FlatSgd(long length) {
        FlatAdam.checkLength(length);
        this.length = length;
    }

    @Override
    public void reset() {
    }

    @Override
    public void step(INDArray params, INDArray grad, double learningRate) {
        FlatAdam.checkStep(length, params, grad, learningRate);
        Nd4j.getBlasWrapper().level1().axpy(length, -learningRate, grad, params);
    }

    @Override
    public long length() {
        return length;
    }
}
