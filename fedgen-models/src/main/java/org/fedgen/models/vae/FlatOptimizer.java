package org.fedgen.models.vae;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An optimizer over one flat parameter vector. {@link #reset()} gives fresh state (every fit starts with it); the
 * moment buffers are kept and zeroed rather than reallocated, because native memory is only freed by the GC.
 */
abstract class FlatOptimizer {

    /** Forgets all state, as if newly created. */
    abstract void reset();

    /** Updates {@code params} in place from {@code grad}; {@code grad} may be overwritten. */
    abstract void step(INDArray params, INDArray grad, double learningRate);

    static FlatOptimizer create(VaeConfig c, long length) {
        return switch (c.optimizer()) {
            case ADAM -> new Adam(length, c.adamBeta1(), c.adamBeta2(), c.adamEpsilon());
            case SGD -> new Sgd();
        };
    }

    /** w -= lr * g. */
    static final class Sgd extends FlatOptimizer {
        @Override
        void reset() {
        }

        @Override
        void step(INDArray params, INDArray grad, double learningRate) {
            Nd4j.getBlasWrapper().level1().axpy(params.length(), -learningRate, grad, params);
        }
    }

    /**
     * Adam with bias correction in nine passes over the flat vectors (measured 2x faster than ND4J's fused
     * adam_updater op on this machine), using the gradient buffer as scratch:
     * m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2, w -= lr * mHat / (sqrt(vHat) + eps) with mHat = m / (1 - b1^t) and
     * vHat = v / (1 - b2^t), computed as lr * sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps * sqrt(1-b2^t)).
     */
    static final class Adam extends FlatOptimizer {
        private final INDArray m;
        private final INDArray v;
        private final double beta1;
        private final double beta2;
        private final double epsilon;
        private int t;

        Adam(long length, double beta1, double beta2, double epsilon) {
            this.m = Nd4j.zeros(DataType.FLOAT, length);
            this.v = Nd4j.zeros(DataType.FLOAT, length);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = epsilon;
        }

        @Override
        void reset() {
            m.assign(0);
            v.assign(0);
            t = 0;
        }

        @Override
        void step(INDArray params, INDArray grad, double learningRate) {
            t++;
            double c1 = 1 - Math.pow(beta1, t);
            double sqrtC2 = Math.sqrt(1 - Math.pow(beta2, t));
            Level1 blas = Nd4j.getBlasWrapper().level1();
            long n = params.length();
            m.muli(beta1);
            blas.axpy(n, 1 - beta1, grad, m);
            Nd4j.exec(new MulOp(grad, grad, grad));
            v.muli(beta2);
            blas.axpy(n, 1 - beta2, grad, v);
            Nd4j.exec(new Sqrt(v, grad));
            grad.addi(epsilon * sqrtC2);
            Nd4j.exec(new DivOp(m, grad, grad));
            blas.axpy(n, -learningRate * sqrtC2 / c1, grad, params);
        }
    }
}
