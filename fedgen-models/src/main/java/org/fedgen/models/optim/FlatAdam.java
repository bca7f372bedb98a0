package org.fedgen.models.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedgen.core.io.ExactState;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (Kingma and Ba 2015) with bias correction, in the standard convention where ε is added to the
 * bias-corrected √v̂. With t the 1-based step count since the last {@link #reset()}:
 *
 * <pre>
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,
 *   m̂ = m / (1 − β1ᵗ),      v̂ = v / (1 − β2ᵗ),
 *   w ← w − lr · m̂ / (√v̂ + ε).
 * </pre>
 *
 * <p>This differs from ND4J's {@code adam_updater} (and DL4J's Adam), which adds ε to the uncorrected √v; the two
 * agree except where √v is comparable to ε. The update is computed as
 * {@code w −= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε·√(1−β2ᵗ))}, which is algebraically the formula above, in nine
 * in-place passes over the flat vectors using the gradient as scratch, instead of the native {@code adam_updater} op
 * plus the subtraction it would need.
 */
public final class FlatAdam implements FlatOptimizer {
    private final long length;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final INDArray m;
    private final INDArray v;
    private int iteration;

    /**
     * @param length  the parameter vector length, &gt; 0
     * @param beta1   first-moment decay, in [0, 1)
     * @param beta2   second-moment decay, in [0, 1)
     * @param epsilon the term added to √v̂, &gt; 0
     * @throws IllegalArgumentException naming the bad value
     */
    public FlatAdam(long length, double beta1, double beta2, double epsilon) {
        checkLength(length);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Adam beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("Adam epsilon must be finite and > 0, got " + epsilon);
        }
        this.length = length;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = Nd4j.zeros(DataType.FLOAT, length);
        this.v = Nd4j.zeros(DataType.FLOAT, length);
    }

    /** Zeroes the moments and the step count, reusing the buffers (native memory is only freed by the GC). */
    @Override
    public void reset() {
        m.assign(0);
        v.assign(0);
        iteration = 0;
    }

    /** Number of steps taken since construction or the last {@link #reset()}. */
    public int iteration() {
        return iteration;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void step(INDArray params, INDArray grad, double learningRate) {
        checkStep(length, params, grad, learningRate);
        iteration++;
        double c1 = 1 - Math.pow(beta1, iteration);
        double sqrtC2 = Math.sqrt(1 - Math.pow(beta2, iteration));
        Level1 blas = Nd4j.getBlasWrapper().level1();
        m.muli(beta1);
        blas.axpy(length, 1 - beta1, grad, m);
        Nd4j.exec(new MulOp(grad, grad, grad));
        v.muli(beta2);
        blas.axpy(length, 1 - beta2, grad, v);
        Nd4j.exec(new Sqrt(v, grad));
        grad.addi(epsilon * sqrtC2);
        Nd4j.exec(new DivOp(m, grad, grad));
        blas.axpy(length, -learningRate * sqrtC2 / c1, grad, params);
    }

    static void checkLength(long length) {
        if (length <= 0) {
            throw new IllegalArgumentException("optimizer vector length must be > 0, got " + length);
        }
    }

    static void checkStep(long length, INDArray params, INDArray grad, double learningRate) {
        if (!(learningRate >= 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
        }
        check("params", params, length);
        check("grad", grad, length);
    }

    private static void check(String name, INDArray a, long length) {
        if (a.length() != length) {
            throw new IllegalArgumentException(name + " must have length " + length + ", got shape "
                    + java.util.Arrays.toString(a.shape()));
        }
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(name + " must be FLOAT, got " + a.dataType());
        }
    }

    /** The moments {@code m}, {@code v} (copies) and the step count {@code t}, for a checkpoint. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        s.put("m", m.dup());
        s.put("v", v.dup());
        s.put("t", ExactState.ofLongs(iteration));
        return s;
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @throws IllegalArgumentException if an entry is missing or has the wrong length
     */
    public void restoreState(Map<String, INDArray> s) {
        for (String k : new String[] {"m", "v", "t"}) {
            if (!s.containsKey(k)) {
                throw new IllegalArgumentException("Adam state lacks '" + k + "', has " + s.keySet());
            }
        }
        check("m", s.get("m"), length);
        check("v", s.get("v"), length);
        m.assign(s.get("m").reshape(length));
        v.assign(s.get("v").reshape(length));
        iteration = Math.toIntExact(ExactState.toLong("t", s.get("t")));
    }
}
