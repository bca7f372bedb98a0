package org.fedgen.models.gan;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fully connected network with leaky-ReLU hidden layers whose parameters live in ONE flat vector (per layer: W as
 * [in, out] row-major, then b), with views for the weight matrices and a gradient vector of the same layout. Forward
 * and backward are hand-written gemms into buffers that are preallocated per (batch rows, slot) and reused.
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class Mlp {
    private static final int MAX_WORKSPACES = 12;

    /** Output nonlinearity of the last layer. */
    enum Output { IDENTITY, SIGMOID, TANH_RESCALED }

    private final int[] sizes;
    private final double slope;
    private final Output output;
    private final INDArray params;
    private final INDArray grad;
    private final INDArray[] w;
    private final INDArray[] b;
    private final INDArray[] gw;
    private final INDArray[] gb;
    private final Map<Long, Workspace> workspaces = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Workspace> eldest) {
            // clients of many different sizes would otherwise pin buffers for every remainder batch
            return size() > MAX_WORKSPACES;
        }
    };

    /**
     * @param sizes  layer widths including input and output
     * @param params the flat parameter vector this network reads and the optimiser updates in place
     */
    Mlp(int[] sizes, double slope, Output output, INDArray params) {
        if (params.length() != numParams(sizes)) {
            throw new IllegalArgumentException("parameter vector has " + params.length() + " entries, layers need "
                    + numParams(sizes));
        }
        this.sizes = sizes.clone();
        this.slope = slope;
        this.output = output;
        this.params = params;
        this.grad = Nd4j.create(params.dataType(), params.length());
        int layers = sizes.length - 1;
        w = new INDArray[layers];
        b = new INDArray[layers];
        gw = new INDArray[layers];
        gb = new INDArray[layers];
        long off = 0;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            w[l] = matrixView(params, off, in, out);
            gw[l] = matrixView(grad, off, in, out);
            off += (long) in * out;
            b[l] = matrixView(params, off, 1, out);
            gb[l] = matrixView(grad, off, 1, out);
            off += out;
        }
    }

    private static INDArray matrixView(INDArray flat, long off, int rows, int cols) {
        return flat.get(NDArrayIndex.interval(off, off + (long) rows * cols)).reshape('c', rows, cols);
    }

    /** Number of parameters of a network with these layer widths. */
    static long numParams(int[] sizes) {
        long n = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            n += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return n;
    }

    /** Glorot-uniform weights U(±√(6/(in+out))), zero biases, drawn from {@code rng}. */
    void initialize(Random rng) {
        for (int l = 0; l < w.length; l++) {
            double a = Math.sqrt(6.0 / (sizes[l] + sizes[l + 1]));
            Nd4j.rand(w[l], -a, a, rng);
            b[l].assign(0);
        }
    }

    int inputSize() {
        return sizes[0];
    }

    int outputSize() {
        return sizes[sizes.length - 1];
    }

    int numLayers() {
        return w.length;
    }

    INDArray params() {
        return params;
    }

    /** The gradient written by {@link #backward}, laid out like {@link #params()}. */
    INDArray gradient() {
        return grad;
    }

    /** Weight matrix of layer l, [in, out], a view into the parameters. */
    INDArray weight(int l) {
        return w[l];
    }

    /** Gradient of layer l's weight matrix, a view into {@link #gradient()}. */
    INDArray weightGradient(int l) {
        return gw[l];
    }

    double slope() {
        return slope;
    }

    /**
     * The buffers for a batch of {@code rows}; {@code slot} keeps independent passes of the same batch size apart
     * (e.g. D on the real+fake batch and D on the interpolates).
     */
    Workspace workspace(int rows, int slot) {
        long key = ((long) slot << 32) | rows;
        return workspaces.computeIfAbsent(key, k -> new Workspace(rows));
    }

    /**
     * Forward pass from {@code ws.input} (filled by the caller). With {@code keepMasks} the leaky-ReLU derivatives
     * are stored for {@link #backward} and the gradient penalty.
     *
     * @return the output buffer of {@code ws}
     */
    INDArray forward(Workspace ws, boolean keepMasks) {
        INDArray x = ws.input;
        int last = w.length - 1;
        for (int l = 0; l <= last; l++) {
            Nd4j.gemm(x, w[l], ws.pre[l], false, false, 1.0, 0.0);
            ws.pre[l].addiRowVector(b[l]);
            if (l < last) {
                Nd4j.exec(new LeakyReLU(ws.pre[l], ws.act[l], slope));
                if (keepMasks) {
                    Nd4j.exec(new LeakyReLUDerivative(ws.pre[l], ws.mask[l], slope));
                }
                x = ws.act[l];
            }
        }
        switch (output) {
            case SIGMOID -> Nd4j.exec(new Sigmoid(ws.pre[last], ws.act[last]));
            case TANH_RESCALED -> {
                Nd4j.exec(new Tanh(ws.pre[last], ws.act[last]));
                ws.act[last].addi(1.0).muli(0.5);
            }
            case IDENTITY -> {
                // act[last] is pre[last] itself
            }
        }
        return ws.act[last];
    }

    /**
     * Backward pass after {@link #forward(Workspace, boolean) forward(ws, true)}: {@code dOut} is ∂loss/∂output.
     *
     * @param paramGrads whether to write parameter gradients (false: only propagate to the input)
     * @param accumulate add to the gradient vector instead of overwriting it
     * @param inputGrad  whether to compute ∂loss/∂input into {@link Workspace#inputGradient()}
     */
    void backward(Workspace ws, INDArray dOut, boolean paramGrads, boolean accumulate, boolean inputGrad) {
        int last = w.length - 1;
        INDArray delta = ws.delta[last];
        switch (output) {
            case IDENTITY -> {
                if (dOut != delta) {
                    delta.assign(dOut);
                }
            }
            // σ' = y(1 − y); for y = (tanh(a) + 1)/2, dy/da = (1 − tanh²)/2 = 2y(1 − y)
            case SIGMOID, TANH_RESCALED -> {
                delta.assign(ws.act[last]).rsubi(1.0).muli(ws.act[last]).muli(dOut);
                if (output == Output.TANH_RESCALED) {
                    delta.muli(2.0);
                }
            }
        }
        double beta = accumulate ? 1.0 : 0.0;
        for (int l = last; l >= 0; l--) {
            INDArray in = l == 0 ? ws.input : ws.act[l - 1];
            if (paramGrads) {
                Nd4j.gemm(in, ws.delta[l], gw[l], true, false, 1.0, beta);
                Nd4j.gemm(ws.onesRow, ws.delta[l], gb[l], false, false, 1.0, beta);
            }
            if (l > 0) {
                Nd4j.gemm(ws.delta[l], w[l], ws.delta[l - 1], false, true, 1.0, 0.0);
                ws.delta[l - 1].muli(ws.mask[l - 1]);
            } else if (inputGrad) {
                Nd4j.gemm(ws.delta[0], w[0], ws.inputGrad, false, true, 1.0, 0.0);
            }
        }
    }

    /**
     * After a {@link #backward} of {@code ws} without parameter gradients: writes the parameter gradients that a
     * backward pass of the output deltas scaled per row by {@code rowWeights} ([rows, 1]) would write. Backpropagation
     * is linear in each row's output delta (the masks are fixed by the forward pass), so scaling each layer's deltas
     * equals propagating the scaled ones, without the propagation. Overwrites the workspace's deltas.
     */
    void weightedParamGrads(Workspace ws, INDArray rowWeights) {
        for (int l = 0; l < w.length; l++) {
            INDArray in = l == 0 ? ws.input : ws.act[l - 1];
            ws.delta[l].muliColumnVector(rowWeights);
            Nd4j.gemm(in, ws.delta[l], gw[l], true, false, 1.0, 0.0);
            Nd4j.gemm(ws.onesRow, ws.delta[l], gb[l], false, false, 1.0, 0.0);
        }
    }

    /** Preallocated buffers for one batch size. */
    final class Workspace {
        final int rows;
        final INDArray input;
        final INDArray[] pre;
        final INDArray[] act;
        final INDArray[] mask;
        final INDArray[] delta;
        final INDArray inputGrad;
        final INDArray onesRow;

        private Workspace(int rows) {
            DataType dt = params.dataType();
            int layers = w.length;
            this.rows = rows;
            input = Nd4j.create(dt, rows, sizes[0]);
            pre = new INDArray[layers];
            act = new INDArray[layers];
            mask = new INDArray[layers];
            delta = new INDArray[layers];
            for (int l = 0; l < layers; l++) {
                pre[l] = Nd4j.create(dt, rows, sizes[l + 1]);
                boolean identityOut = l == layers - 1 && output == Output.IDENTITY;
                act[l] = identityOut ? pre[l] : Nd4j.create(dt, rows, sizes[l + 1]);
                mask[l] = l < layers - 1 ? Nd4j.create(dt, rows, sizes[l + 1]) : null;
                delta[l] = Nd4j.create(dt, rows, sizes[l + 1]);
            }
            inputGrad = Nd4j.create(dt, rows, sizes[0]);
            onesRow = Nd4j.ones(dt, 1, rows);
        }

        /** The input buffer the caller fills before {@link #forward}. */
        INDArray input() {
            return input;
        }

        /** ∂loss/∂input after a backward pass with {@code inputGrad}. */
        INDArray inputGradient() {
            return inputGrad;
        }

        /** The output-layer delta buffer; for an identity output it may be passed as {@code dOut} directly. */
        INDArray outputDelta() {
            return delta[w.length - 1];
        }

        /** Leaky-ReLU derivative of hidden layer l from the last forward pass with masks. */
        INDArray mask(int l) {
            return mask[l];
        }
    }
}
