package org.fedgen.models.ddpm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam on one flat parameter vector, as ND4J's fused {@code adam_updater} op: with k the 1-based step,
 * m = β1 m + (1 − β1) g, v = β2 v + (1 − β2) g², w −= lr·√(1 − β2^k)/(1 − β1^k) · m / (√v + ε). (ε is added to √v
 * rather than to the bias-corrected √v̂, as in DL4J.) State is reset by {@link #reset}, so every local fit starts fresh.
 */
final class FlatAdam {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private INDArray m;
    private INDArray v;
    private int iteration;

    FlatAdam(double beta1, double beta2, double epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Zeroes the moments and the step count for vectors of the given length. */
    void reset(long length) {
        if (m == null || m.length() != length) {
            m = Nd4j.create(DataType.FLOAT, length);
            v = Nd4j.create(DataType.FLOAT, length);
        } else {
            m.assign(0);
            v.assign(0);
        }
        iteration = 0;
    }

    /** One step: params −= update(grad). {@code grad} is overwritten with the update. */
    void step(INDArray params, INDArray grad, double learningRate) {
        Nd4j.exec(new AdamUpdater(grad, v, m, learningRate, beta1, beta2, epsilon, iteration));
        params.subi(grad);
        iteration++;
    }
}
