package org.fedgen.models.ddpm;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fully connected ε-predictor with a hand-written forward and backward pass on INDArray: the fast default denoiser.
 *
 * <p>With conditioning c = [sinusoidal(t), onehot(y)] (see {@link Conditioning}) and a_0 = x_t:
 * z_l = a_{l−1} W_l + c U_l + b_l, a_l = f(z_l) for each hidden layer, and ε_θ = a_L W_o + b_o. The conditioning enters
 * every hidden layer through its own projection U_l. All parameters live in one flat float32 vector laid out as
 * [W_1, U_1, b_1, ..., W_L, U_L, b_L, W_o, b_o] (matrices row-major); the matrices are views into it, and the gradient
 * vector has the same layout, so the optimizer works on two flat vectors. Work buffers are kept per batch size and
 * reused.
 */
public final class MlpDenoiser implements Denoiser {
    private final int dataDim;
    private final int[] hidden;
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
    private Buffers buffers;

    /**
     * @param dataDim    d, width of a flattened example (784 for digits)
     * @param hidden     hidden layer widths, e.g. {512, 512}
     * @param timeDim    size of the sinusoidal time embedding (even)
     * @param numClasses labels for a conditional model, 0 for unconditional
     * @param activation hidden nonlinearity
     */
    public MlpDenoiser(int dataDim, int[] hidden, int timeDim, int numClasses, Activation activation) {
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
    }

    /** The fast default for 28x28 digits: 784 → 512 → 512 → 784, SiLU, 128-wide time embedding. */
    public static MlpDenoiser forDigits(int numClasses) {
        return new MlpDenoiser(784, new int[] {512, 512}, 128, numClasses, Activation.SILU);
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

    /**
     * LeCun-normal weights (std 1/√fan-in; the conditioning projections use fan-in = conditioning width), zero biases.
     */
    @Override
    public void initialize(long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        for (int l = 0; l < w.length; l++) {
            Nd4j.getExecutioner().exec(new GaussianDistribution(w[l], 0.0, 1.0 / Math.sqrt(fanIn[l])), rng);
            if (l < u.length) {
                Nd4j.getExecutioner().exec(new GaussianDistribution(u[l], 0.0,
                        1.0 / Math.sqrt(conditioning.dim())), rng);
            }
            b[l].assign(0);
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
        backward(buf, xt, dOut);
        return norm * norm / count;
    }

    private Buffers forward(INDArray xt, int[] t, int[] labels) {
        if (xt.rank() != 2 || xt.columns() != dataDim || xt.rows() != t.length) {
            throw new IllegalArgumentException("expected xt [" + t.length + ", " + dataDim + "], got "
                    + Arrays.toString(xt.shape()));
        }
        Buffers buf = buffers(t.length);
        buf.cond = conditioning.build(t, labels);
        INDArray in = xt;
        for (int l = 0; l < hidden.length; l++) {
            in.mmuli(w[l], buf.z[l]);
            buf.cond.mmuli(u[l], buf.tmp[l]);
            buf.z[l].addi(buf.tmp[l]).addiRowVector(b[l]);
            activation.forward(buf.z[l], buf.a[l]);
            in = buf.a[l];
        }
        in.mmuli(w[hidden.length], buf.out);
        buf.out.addiRowVector(b[hidden.length]);
        return buf;
    }

    private void backward(Buffers buf, INDArray xt, INDArray dOut) {
        int last = hidden.length;
        buf.a[last - 1].transpose().mmuli(dOut, gw[last]);
        gb[last].assign(dOut.sum(0));
        INDArray dA = buf.tmp[last - 1];
        dOut.mmuli(w[last].transpose(), dA);
        for (int l = last - 1; l >= 0; l--) {
            INDArray dz = buf.z[l];
            activation.derivative(buf.z[l], dz);
            dz.muli(dA);
            INDArray in = l == 0 ? xt : buf.a[l - 1];
            in.transpose().mmuli(dz, gw[l]);
            buf.cond.transpose().mmuli(dz, gu[l]);
            gb[l].assign(dz.sum(0));
            if (l > 0) {
                dA = buf.tmp[l - 1];
                dz.mmuli(w[l].transpose(), dA);
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
        final INDArray[] tmp = new INDArray[hidden.length];
        final INDArray out;
        INDArray cond;

        Buffers(int n) {
            this.n = n;
            for (int l = 0; l < hidden.length; l++) {
                z[l] = Nd4j.create(DataType.FLOAT, n, hidden[l]);
                a[l] = Nd4j.create(DataType.FLOAT, n, hidden[l]);
                tmp[l] = Nd4j.create(DataType.FLOAT, n, hidden[l]);
            }
            out = Nd4j.create(DataType.FLOAT, n, dataDim);
        }
    }

    @Override
    public String toString() {
        return "MlpDenoiser{" + dataDim + " -> " + Arrays.toString(hidden) + " -> " + dataDim + ", " + activation
                + ", cond=" + conditioning.dim() + ", params=" + params.length() + '}';
    }
}
