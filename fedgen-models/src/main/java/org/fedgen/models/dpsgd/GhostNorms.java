package org.fedgen.models.dpsgd;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-example squared gradient norms of dense layers without per-example gradients ("ghost clipping", Goodfellow
 * 2015; Li et al. 2022). For y = a W + b, example i's weight gradient is the outer product a_iᵀ δ_i, whose squared
 * Frobenius norm is ‖a_i‖²‖δ_i‖², and its bias gradient is δ_i. When one example's gradient is the sum of several
 * such terms (the rows of several passes, e.g. a GAN's real and fake rows) {@link GhostGram} takes the norms.
 * Accumulators are float64 [rows, 1].
 */
public final class GhostNorms {
    private GhostNorms() {
    }

    /** A zero accumulator for {@code rows} examples. */
    public static INDArray accumulator(long rows) {
        return Nd4j.zeros(DataType.DOUBLE, rows, 1);
    }

    /** Per thread, the copy {@link #rowSquares} reads (workers train their clients' models on their own threads). */
    private static final ThreadLocal<RowMajorCopy> COPY = ThreadLocal.withInitial(RowMajorCopy::new);

    /**
     * Row-wise squared L2 norms of an [rows, k] matrix, as float64 [rows, 1]; the sums are taken in the matrix's own
     * precision over one copy of it ({@link RowMajorCopy}).
     */
    public static INDArray rowSquares(INDArray m) {
        int rows = (int) m.rows();
        RowMajorCopy c = COPY.get();
        c.load(m, rows, m.columns());
        double[] sq = new double[rows];
        for (int i = 0; i < rows; i++) {
            sq[i] = c.dot(c, i);
        }
        return Nd4j.createFromArray(sq).reshape(rows, 1);
    }

    /**
     * Adds one dense layer's per-example squared gradient norms: ‖a_i‖²‖δ_i‖² for the weights and, with a bias,
     * ‖δ_i‖².
     *
     * @param acc   the [rows, 1] float64 accumulator
     * @param aSq   ‖a_i‖² of the layer input rows, [rows, 1] float64
     * @param delta ∂loss_i/∂y_i, the layer output gradient rows [rows, out]
     */
    public static void addDense(INDArray acc, INDArray aSq, INDArray delta, boolean bias) {
        INDArray dSq = rowSquares(delta);
        acc.addi(aSq.mul(dSq));
        if (bias) {
            acc.addi(dSq);
        }
    }

    /**
     * Per-example clip weights min(1, C / ‖g_i‖) as a float32 [rows, 1] column for the first {@code members} rows and
     * 0 for the rest (padding rows of a buffer larger than the batch). A zero gradient gets weight 1.
     */
    public static INDArray clipWeights(INDArray normSq, double clip, int members) {
        int rows = (int) normSq.rows();
        float[] w = new float[rows];
        for (int i = 0; i < members; i++) {
            double norm = Math.sqrt(Math.max(0, normSq.getDouble(i, 0)));
            w[i] = norm <= clip ? 1f : (float) (clip / norm);
        }
        return Nd4j.createFromArray(w).reshape(rows, 1);
    }
}
