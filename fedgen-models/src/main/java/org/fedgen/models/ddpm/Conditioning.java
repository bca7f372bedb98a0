package org.fedgen.models.ddpm;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The conditioning vector a denoiser receives for each example: the sinusoidal embedding of the diffusion step t
 * (Vaswani et al.'s positional encoding, as in Ho et al.) followed, for a conditional model, by the one-hot label. A
 * denoiser multiplies it by learned matrices, so the one-hot part acts as a learned label embedding.
 */
public final class Conditioning {
    /**
     * The label "none": an all-zero one-hot, so only the time embedding conditions the denoiser. Classifier-free
     * guidance trains a conditional denoiser with some labels replaced by it and samples with both predictions.
     */
    public static final int NO_LABEL = -1;
    private static final double MAX_PERIOD = 10000.0;

    private final int timeDim;
    private final int numClasses;
    private final double[] frequencies;

    /**
     * @param timeDim    size of the time embedding, even and &ge; 2
     * @param numClasses number of labels for a conditional model, 0 for an unconditional one
     */
    public Conditioning(int timeDim, int numClasses) {
        if (timeDim < 2 || timeDim % 2 != 0) {
            throw new IllegalArgumentException("timeDim must be even and >= 2, got " + timeDim);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be >= 0, got " + numClasses);
        }
        this.timeDim = timeDim;
        this.numClasses = numClasses;
        int half = timeDim / 2;
        frequencies = new double[half];
        for (int i = 0; i < half; i++) {
            frequencies[i] = Math.exp(-Math.log(MAX_PERIOD) * i / half);
        }
    }

    /** Width of the conditioning vector: timeDim + numClasses. */
    public int dim() {
        return timeDim + numClasses;
    }

    /** Width of the sinusoidal time embedding. */
    public int timeDim() {
        return timeDim;
    }

    /** Number of labels; 0 when unconditional. */
    public int numClasses() {
        return numClasses;
    }

    /**
     * The [n, dim()] conditioning matrix: row i is [sin(t_i ω_0..), cos(t_i ω_0..), onehot(label_i)] with
     * ω_k = 10000^(−k/(timeDim/2)).
     *
     * @param labels n labels in [0, numClasses) or {@link #NO_LABEL} for a conditional model, ignored (may be null)
     *               otherwise
     */
    public INDArray build(int[] t, int[] labels) {
        return Nd4j.create(values(t, labels), new long[] {t.length, dim()}, 'c');
    }

    /**
     * {@link #build(int[], int[])} into {@code out}, a [n, dim()] float32 array of its own (row-major, not a view), so
     * a training step need not allocate native memory.
     */
    public void build(int[] t, int[] labels, INDArray out) {
        if (out.rank() != 2 || out.rows() != t.length || out.columns() != dim() || out.ordering() != 'c'
                || out.isView() || out.dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            throw new IllegalArgumentException("conditioning buffer must be a float32 [" + t.length + ", " + dim()
                    + "] c-order array of its own, got " + out.shapeInfoToString());
        }
        out.data().setData(values(t, labels));
    }

    private float[] values(int[] t, int[] labels) {
        int n = t.length;
        if (numClasses > 0) {
            if (labels == null || labels.length != n) {
                throw new IllegalArgumentException("a conditional denoiser needs " + n + " labels, got "
                        + (labels == null ? "none" : labels.length));
            }
        }
        int d = dim();
        int half = timeDim / 2;
        float[] c = new float[n * d];
        for (int i = 0; i < n; i++) {
            int off = i * d;
            for (int k = 0; k < half; k++) {
                double a = t[i] * frequencies[k];
                c[off + k] = (float) Math.sin(a);
                c[off + half + k] = (float) Math.cos(a);
            }
            if (numClasses > 0) {
                int y = labels[i];
                if (y == NO_LABEL) {
                    continue;
                }
                if (y < 0 || y >= numClasses) {
                    throw new IllegalArgumentException("label " + y + " outside 0.." + (numClasses - 1));
                }
                c[off + timeDim + y] = 1f;
            }
        }
        return c;
    }
}
