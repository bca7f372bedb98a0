package org.fedgen.models.ddpm;

import java.util.Arrays;
import org.fedgen.models.dpsgd.GhostNorms;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fully connected ε-predictor with a hand-written forward and backward pass on INDArray: the fast default denoiser.
 *
 * <p>With conditioning c = [sinusoidal(t), onehot(y)] (see {@link Conditioning}) and a_0 = x_t, each hidden layer is
 * z_l = a_{l−1} W_l + c U_l + b_l and a_l = f(z_l), or a_l = a_{l−1} + f(z_l) (a residual block) when its width equals
 * the previous layer's; ε_θ = a_L W_o + b_o. The residual blocks give the gradient an identity path through the depth,
 * and the conditioning enters every layer through its own projection U_l. The output layer starts at zero, so an
 * untrained network predicts 0, or just the skip below.
 *
 * <p>Prior skip (optional, given the noise schedule): with a = √ᾱ_t and b = √(1 − ᾱ_t), the network's output is added
 * to b (x_t − a μ) / (a² σ² + b²) per pixel, the posterior mean E[ε | x_t] if pixel x_0 were N(μ, σ²); μ and σ are
 * learned per pixel (σ² is floored at {@value #PRIOR_MIN_STD}², see there). A plain MLP cannot learn the t-dependent gain 1/b needed to read tiny noise off near-constant
 * pixels (the digits' background) at small t; this skip gives it in closed form (σ → 0 makes it (x_t − a μ)/b), and
 * at μ = 0, σ = 1 it is √(1 − ᾱ_t) x_t, the identity-like answer at large t.
 *
 * <p>All parameters live in one flat float32 vector laid out as [W_1, U_1, b_1, ..., W_L, U_L, b_L, W_o, b_o] plus
 * [μ/c, σ/c] with the prior skip (matrices row-major, c = {@value #PRIOR_SCALE}); the matrices are views into it, and the gradient vector has the same layout, so the optimizer
 * works on two flat vectors. Every product is a gemm into a preallocated buffer or gradient view (the conditioning
 * product accumulates onto the data product with β = 1), so a training step allocates no arrays once the buffers for
 * its batch size exist.
 */
public final class MlpDenoiser implements Denoiser {
    /**
     * The prior's mean and std are stored divided by this factor, so Adam (whose steps are about lr in parameter
     * units) moves them c times faster than the weights: the prior then settles within a few hundred steps.
     */
    static final double PRIOR_SCALE = 10.0;
    /**
     * A floor on the prior's std, √(σ² + s0²) in place of σ: with σ → 0 a pixel that is always background in training
     * would turn any ink there into an error of order 1/b, unbounded at small t; the floor caps it near 1/s0.
     */
    static final double PRIOR_MIN_STD = 0.03;
    private final int dataDim;
    private final int[] hidden;
    private final boolean[] residual;
    private final Activation activation;
    private final Conditioning conditioning;
    private final INDArray params;
    private final INDArray grad;
    private final INDArray[] w;
    private final INDArray[] u;
    private final INDArray[] b;
    private final INDArray[] gw;
    private final INDArray[] gu;
    private final INDArray[] gb;
    private final long[] fanIn;
    /** The schedule of the prior skip, or null for a plain network. */
    private final NoiseSchedule prior;
    private final INDArray priorMean;
    private final INDArray priorStd;
    private final INDArray gPriorMean;
    private final INDArray gPriorStd;
    private Buffers buffers;

    /**
     * @param dataDim    d, width of a flattened example (784 for digits)
     * @param hidden     hidden layer widths, e.g. {1024, 1024, 1024}; a layer as wide as the one before is residual
     * @param timeDim    size of the sinusoidal time embedding (even)
     * @param numClasses labels for a conditional model, 0 for unconditional
     * @param activation hidden nonlinearity
     */
    public MlpDenoiser(int dataDim, int[] hidden, int timeDim, int numClasses, Activation activation) {
        this(dataDim, hidden, timeDim, numClasses, activation, null);
    }

    /**
     * A network with the learned Gaussian prior skip (see the class comment) for the given schedule.
     *
     * @param prior the DDPM's noise schedule, or null for a plain network without the skip
     */
    public MlpDenoiser(int dataDim, int[] hidden, int timeDim, int numClasses, Activation activation,
            NoiseSchedule prior) {
        if (dataDim < 1) {
            throw new IllegalArgumentException("dataDim must be >= 1, got " + dataDim);
        }
        if (hidden == null || hidden.length == 0) {
            throw new IllegalArgumentException("need at least one hidden layer, got " + Arrays.toString(hidden));
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        this.dataDim = dataDim;
        this.hidden = hidden.clone();
        this.residual = new boolean[hidden.length];
        for (int l = 1; l < hidden.length; l++) {
            residual[l] = hidden[l] == hidden[l - 1];
        }
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
        this.conditioning = new Conditioning(timeDim, numClasses);
        int layers = hidden.length + 1;
        long c = conditioning.dim();
        long total = 0;
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? dataDim : hidden[l - 1];
            long out = l < hidden.length ? hidden[l] : dataDim;
            total += in * out + out + (l < hidden.length ? c * out : 0);
        }
        this.prior = prior;
        if (prior != null) {
            total += 2L * dataDim;
        }
        params = Nd4j.create(DataType.FLOAT, total);
        grad = Nd4j.create(DataType.FLOAT, total);
        w = new INDArray[layers];
        u = new INDArray[hidden.length];
        b = new INDArray[layers];
        gw = new INDArray[layers];
        gu = new INDArray[hidden.length];
        gb = new INDArray[layers];
        fanIn = new long[layers];
        long off = 0;
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? dataDim : hidden[l - 1];
            long out = l < hidden.length ? hidden[l] : dataDim;
            fanIn[l] = in;
            w[l] = view(params, off, in, out);
            gw[l] = view(grad, off, in, out);
            off += in * out;
            if (l < hidden.length) {
                u[l] = view(params, off, c, out);
                gu[l] = view(grad, off, c, out);
                off += c * out;
            }
            b[l] = view(params, off, 1, out);
            gb[l] = view(grad, off, 1, out);
            off += out;
        }
        if (prior != null) {
            priorMean = view(params, off, 1, dataDim);
            gPriorMean = view(grad, off, 1, dataDim);
            off += dataDim;
            priorStd = view(params, off, 1, dataDim);
            gPriorStd = view(grad, off, 1, dataDim);
        } else {
            priorMean = null;
            priorStd = null;
            gPriorMean = null;
            gPriorStd = null;
        }
    }

    /**
     * The default for 28x28 digits: 784 → 512 → 512 (residual) → 784, SiLU, 128-wide time embedding, with the prior
     * skip for {@code schedule} (about 1.2 M parameters).
     */
    public static MlpDenoiser forDigits(int numClasses, NoiseSchedule schedule) {
        return new MlpDenoiser(784, new int[] {512, 512}, 128, numClasses, Activation.SILU, schedule);
    }

    private static INDArray view(INDArray flat, long off, long rows, long cols) {
        return flat.get(NDArrayIndex.interval(off, off + rows * cols)).reshape('c', rows, cols);
    }

    @Override
    public int dataDim() {
        return dataDim;
    }

    @Override
    public int numClasses() {
        return conditioning.numClasses();
    }

    @Override
    public INDArray params() {
        return params;
    }

    @Override
    public INDArray gradient() {
        return grad;
    }

    /** Hidden widths. */
    public int[] hidden() {
        return hidden.clone();
    }

    /** Whether the network has the learned Gaussian prior skip. */
    public boolean hasPriorSkip() {
        return prior != null;
    }

    /** Whether hidden layer l (0-based) is a residual block. */
    public boolean residual(int l) {
        return residual[l];
    }

    /**
     * LeCun-normal hidden weights (std 1/√fan-in; the conditioning projections use fan-in = conditioning width), zero
     * biases and a zero output layer; the prior starts at μ = 0, σ = 1, where the skip is √(1 − ᾱ_t) x_t.
     */
    @Override
    public void initialize(long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        params.assign(0);
        for (int l = 0; l < hidden.length; l++) {
            Nd4j.getExecutioner().exec(new GaussianDistribution(w[l], 0.0, 1.0 / Math.sqrt(fanIn[l])), rng);
            Nd4j.getExecutioner().exec(new GaussianDistribution(u[l], 0.0, 1.0 / Math.sqrt(conditioning.dim())),
                    rng);
        }
        if (prior != null) {
            priorStd.assign(1.0 / PRIOR_SCALE);
        }
    }

    @Override
    public INDArray predict(INDArray xt, int[] t, int[] labels) {
        Buffers buf = forward(xt, t, labels);
        return buf.out;
    }

    @Override
    public double lossAndGradient(INDArray xt, int[] t, int[] labels, INDArray eps) {
        Buffers buf = forward(xt, t, labels);
        INDArray dOut = buf.out.subi(eps);
        double norm = dOut.norm2Number().doubleValue();
        long count = dOut.length();
        dOut.muli(2.0 / count);
        backward(buf, xt, dOut, null);
        return norm * norm / count;
    }

    /**
     * Two passes: forward and backward at unit weights collecting ghost norms (dense weights ‖a_i‖²‖δ_i‖², the
     * conditioning projections ‖c_i‖²‖δ_i‖², biases ‖δ_i‖², and the prior's per-pixel gradients row by row), then
     * forward again and backward of the clip-weighted loss.
     */
    @Override
    public void clippedGradientSum(INDArray xt, int[] t, int[] labels, INDArray eps, int members, double clip) {
        INDArray normSq = GhostNorms.accumulator(t.length);
        Buffers buf = forward(xt, t, labels);
        backward(buf, xt, buf.out.subi(eps).muli(2.0 / dataDim), normSq);
        INDArray weights = GhostNorms.clipWeights(normSq, clip, members);
        buf = forward(xt, t, labels);
        backward(buf, xt, buf.out.subi(eps).muli(2.0 / dataDim).muliColumnVector(weights), null);
    }

    private Buffers forward(INDArray xt, int[] t, int[] labels) {
        if (xt.rank() != 2 || xt.columns() != dataDim || xt.rows() != t.length) {
            throw new IllegalArgumentException("expected xt [" + t.length + ", " + dataDim + "], got "
                    + Arrays.toString(xt.shape()));
        }
        Buffers buf = buffers(t.length);
        conditioning.build(t, labels, buf.cond);
        INDArray in = xt;
        for (int l = 0; l < hidden.length; l++) {
            Nd4j.gemm(in, w[l], buf.z[l], false, false, 1.0, 0.0);
            Nd4j.gemm(buf.cond, u[l], buf.z[l], false, false, 1.0, 1.0);
            buf.z[l].addiRowVector(b[l]);
            activation.forward(buf.z[l], buf.a[l]);
            if (residual[l]) {
                buf.a[l].addi(in);
            }
            in = buf.a[l];
        }
        Nd4j.gemm(in, w[hidden.length], buf.out, false, false, 1.0, 0.0);
        buf.out.addiRowVector(b[hidden.length]);
        if (prior != null) {
            priorSkip(buf, xt, t);
            buf.out.addi(buf.skip);
        }
        return buf;
    }

    /**
     * skip = b (x_t − a μ) / (a² (σ² + s0²) + b²) with a = √ᾱ_t, b = √(1 − ᾱ_t) per row and μ = c·μ', σ = c·σ' per
     * pixel; leaves the denominator k in buf.k.
     */
    private void priorSkip(Buffers buf, INDArray xt, int[] t) {
        int n = t.length;
        float[] a = new float[n];
        float[] bb = new float[n];
        float[] a2 = new float[n];
        float[] b2 = new float[n];
        float[] ab = new float[n];
        for (int i = 0; i < n; i++) {
            double abar = prior.alphaBar(t[i]);
            a[i] = (float) Math.sqrt(abar);
            bb[i] = (float) Math.sqrt(1.0 - abar);
            a2[i] = (float) abar;
            b2[i] = (float) (1.0 - abar);
            ab[i] = (float) Math.sqrt(abar * (1.0 - abar));
        }
        buf.colA.data().setData(a);
        buf.colB.data().setData(bb);
        buf.colA2.data().setData(a2);
        buf.colB2.data().setData(b2);
        buf.colAB.data().setData(ab);
        buf.mu.assign(priorMean).muli(PRIOR_SCALE);
        buf.sigma2.assign(priorStd).muli(PRIOR_SCALE);
        buf.sigma2.muli(buf.sigma2).addi(PRIOR_MIN_STD * PRIOR_MIN_STD);
        buf.k.assign(0).addiRowVector(buf.sigma2).muliColumnVector(buf.colA2).addiColumnVector(buf.colB2);
        buf.skip.assign(0).addiRowVector(buf.mu).muliColumnVector(buf.colA).rsubi(xt).muliColumnVector(buf.colB)
                .divi(buf.k);
    }

    /**
     * With D = dL/dε_θ: dL/dμ_j = −Σ_i D_ij a_i b_i / k_ij and dL/dσ_j = −2σ_j Σ_i D_ij skip_ij a_i² / k_ij; both times
     * c for the stored μ', σ'.
     */
    private void priorBackward(Buffers buf, INDArray dOut, INDArray normSq) {
        INDArray work = buf.k;
        // skip·a²/k first, while k is intact, then D·(−a b/k) in the same buffer
        buf.skip.divi(work).muliColumnVector(buf.colA2).muli(dOut);
        buf.skip.sum(buf.priorGradStd, 0);
        buf.sigma2.assign(priorStd).muli(-2.0 * PRIOR_SCALE * PRIOR_SCALE);
        if (normSq != null) {
            // row i of skip·(−2c²σ') is example i's gradient of σ'
            normSq.addi(GhostNorms.rowSquares(buf.skip.mulRowVector(buf.sigma2)));
        }
        buf.priorGradStd.muli(buf.sigma2.reshape(dataDim));
        work.rdivi(-1.0).muliColumnVector(buf.colAB).muli(dOut);
        work.sum(buf.priorGradMean, 0);
        buf.priorGradMean.muli(PRIOR_SCALE);
        if (normSq != null) {
            normSq.addi(GhostNorms.rowSquares(work).muli(PRIOR_SCALE * PRIOR_SCALE));
        }
    }

    /** Backward of the loss whose output gradient is dOut; with {@code normSq}, adds each row's ghost norm to it. */
    private void backward(Buffers buf, INDArray xt, INDArray dOut, INDArray normSq) {
        if (prior != null) {
            priorBackward(buf, dOut, normSq);
        }
        int last = hidden.length;
        INDArray condSq = normSq == null ? null : GhostNorms.rowSquares(buf.cond);
        if (normSq != null) {
            GhostNorms.addDense(normSq, GhostNorms.rowSquares(buf.a[last - 1]), dOut, true);
        }
        Nd4j.gemm(buf.a[last - 1], dOut, gw[last], true, false, 1.0, 0.0);
        dOut.sum(buf.biasGrad[last], 0);
        INDArray dA = buf.d[last - 1];
        Nd4j.gemm(dOut, w[last], dA, false, true, 1.0, 0.0);
        for (int l = last - 1; l >= 0; l--) {
            INDArray dz = buf.z[l];
            activation.derivative(buf.z[l], dz);
            dz.muli(dA);
            INDArray in = l == 0 ? xt : buf.a[l - 1];
            if (normSq != null) {
                GhostNorms.addDense(normSq, GhostNorms.rowSquares(in), dz, true);
                GhostNorms.addDense(normSq, condSq, dz, false);
            }
            Nd4j.gemm(in, dz, gw[l], true, false, 1.0, 0.0);
            Nd4j.gemm(buf.cond, dz, gu[l], true, false, 1.0, 0.0);
            dz.sum(buf.biasGrad[l], 0);
            if (l > 0) {
                if (residual[l]) {
                    // dL/da_{l-1} = dL/da_l + dz W_l^T, accumulated in place
                    Nd4j.gemm(dz, w[l], dA, false, true, 1.0, 1.0);
                } else {
                    INDArray prev = buf.d[l - 1];
                    Nd4j.gemm(dz, w[l], prev, false, true, 1.0, 0.0);
                    dA = prev;
                }
            }
        }
    }

    private Buffers buffers(int n) {
        if (buffers == null || buffers.n != n) {
            buffers = new Buffers(n);
        }
        return buffers;
    }

    /** Per-batch-size work arrays, reused across steps; z is overwritten by dL/dz in the backward pass. */
    private final class Buffers {
        final int n;
        final INDArray[] z = new INDArray[hidden.length];
        final INDArray[] a = new INDArray[hidden.length];
        final INDArray[] d = new INDArray[hidden.length];
        final INDArray[] biasGrad = new INDArray[hidden.length + 1];
        final INDArray out;
        final INDArray cond;
        final INDArray skip;
        final INDArray k;
        final INDArray mu;
        final INDArray sigma2;
        final INDArray colA;
        final INDArray colB;
        final INDArray colA2;
        final INDArray colB2;
        final INDArray colAB;
        final INDArray priorGradMean;
        final INDArray priorGradStd;

        Buffers(int n) {
            this.n = n;
            for (int l = 0; l < hidden.length; l++) {
                z[l] = Nd4j.create(DataType.FLOAT, n, hidden[l]);
                a[l] = Nd4j.create(DataType.FLOAT, n, hidden[l]);
                d[l] = Nd4j.create(DataType.FLOAT, n, hidden[l]);
            }
            for (int l = 0; l <= hidden.length; l++) {
                // rank-1 views of the bias gradients, the shape a column sum writes
                biasGrad[l] = gb[l].reshape(gb[l].length());
            }
            out = Nd4j.create(DataType.FLOAT, n, dataDim);
            cond = Nd4j.create(DataType.FLOAT, n, conditioning.dim());
            boolean p = prior != null;
            skip = p ? Nd4j.create(DataType.FLOAT, n, dataDim) : null;
            k = p ? Nd4j.create(DataType.FLOAT, n, dataDim) : null;
            mu = p ? Nd4j.create(DataType.FLOAT, 1, dataDim) : null;
            sigma2 = p ? Nd4j.create(DataType.FLOAT, 1, dataDim) : null;
            colA = p ? Nd4j.create(DataType.FLOAT, n, 1) : null;
            colB = p ? Nd4j.create(DataType.FLOAT, n, 1) : null;
            colA2 = p ? Nd4j.create(DataType.FLOAT, n, 1) : null;
            colB2 = p ? Nd4j.create(DataType.FLOAT, n, 1) : null;
            colAB = p ? Nd4j.create(DataType.FLOAT, n, 1) : null;
            priorGradMean = p ? gPriorMean.reshape(dataDim) : null;
            priorGradStd = p ? gPriorStd.reshape(dataDim) : null;
        }
    }

    @Override
    public String toString() {
        return "MlpDenoiser{" + dataDim + " -> " + Arrays.toString(hidden) + " -> " + dataDim + ", " + activation
                + ", cond=" + conditioning.dim() + ", params=" + params.length() + '}';
    }
}
