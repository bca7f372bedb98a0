package org.fedgen.models.ddpm;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A denoiser with a fixed skip from its input: ε_θ(x_t, t) = √(1 − ᾱ_t) x_t + r_θ(x_t, t), where r_θ is the wrapped
 * network. √(1 − ᾱ_t) x_t is the best linear guess of ε for unit-variance data, so the network only learns the
 * residual ε − √(1 − ᾱ_t) x_t = √ᾱ_t (√ᾱ_t ε − √(1 − ᾱ_t) x_0) (a scaled v-target, Salimans &amp; Ho 2022): at large t
 * ε ≈ x_t, an identity map that a bottleneck network cannot copy but the skip gives for free. The loss is exactly the
 * ε-loss of the combined predictor, and its parameter gradient is the wrapped network's gradient for the target
 * ε − √(1 − ᾱ_t) x_t. Parameters and gradient are the wrapped network's. Work arrays are reused per batch size.
 */
final class EpsilonSkip implements Denoiser {
    private final Denoiser inner;
    private final NoiseSchedule schedule;
    private INDArray coef;
    private INDArray work;

    EpsilonSkip(Denoiser inner, NoiseSchedule schedule) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /** The wrapped network r_θ. */
    Denoiser inner() {
        return inner;
    }

    @Override
    public int dataDim() {
        return inner.dataDim();
    }

    @Override
    public int numClasses() {
        return inner.numClasses();
    }

    @Override
    public INDArray params() {
        return inner.params();
    }

    @Override
    public INDArray gradient() {
        return inner.gradient();
    }

    @Override
    public void initialize(long seed) {
        inner.initialize(seed);
    }

    @Override
    public INDArray predict(INDArray xt, int[] t, int[] labels) {
        INDArray r = inner.predict(xt, t, labels);
        return r.addi(scaledInput(xt, t));
    }

    @Override
    public double lossAndGradient(INDArray xt, int[] t, int[] labels, INDArray eps) {
        INDArray target = scaledInput(xt, t).rsubi(eps);
        return inner.lossAndGradient(xt, t, labels, target);
    }

    @Override
    public void clippedGradientSum(INDArray xt, int[] t, int[] labels, INDArray eps, int members, double clip) {
        inner.clippedGradientSum(xt, t, labels, scaledInput(xt, t).rsubi(eps), members, clip);
    }

    /** √(1 − ᾱ_t) x_t row by row, in the work buffer. */
    private INDArray scaledInput(INDArray xt, int[] t) {
        int n = t.length;
        if (xt.rank() != 2 || xt.rows() != n) {
            throw new IllegalArgumentException("expected xt with " + n + " rows, got "
                    + java.util.Arrays.toString(xt.shape()));
        }
        if (work == null || work.rows() != n || work.columns() != xt.columns()) {
            coef = Nd4j.create(DataType.FLOAT, n, 1);
            work = Nd4j.create(DataType.FLOAT, n, xt.columns());
        }
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = (float) Math.sqrt(1.0 - schedule.alphaBar(t[i]));
        }
        coef.data().setData(c);
        return work.assign(xt).muliColumnVector(coef);
    }

    @Override
    public String toString() {
        return "skip+" + inner;
    }
}
