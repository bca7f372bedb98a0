package org.fedgen.models.gan;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam on one flat parameter vector: the moment update, bias correction and step are one native op plus one
 * subtraction. {@link #reset()} gives fresh state (zero moments, step counter 0).
 */
final class FlatAdam {
    private final INDArray m;
    private final INDArray v;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private int iteration;

    FlatAdam(long length, org.nd4j.linalg.api.buffer.DataType dataType, double beta1, double beta2, double epsilon) {
        this.m = Nd4j.zeros(dataType, length);
        this.v = Nd4j.zeros(dataType, length);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Zero moments and step counter. */
    void reset() {
        m.assign(0);
        v.assign(0);
        iteration = 0;
    }

    /** Number of steps taken since the last reset. */
    int iteration() {
        return iteration;
    }

    /**
     * params −= lr · m̂ / (√v̂ + ε). {@code gradient} is overwritten with the update.
     */
    void step(INDArray params, INDArray gradient, double learningRate) {
        Nd4j.exec(new AdamUpdater(gradient, v, m, learningRate, beta1, beta2, epsilon, iteration));
        params.subi(gradient);
        iteration++;
    }
}
