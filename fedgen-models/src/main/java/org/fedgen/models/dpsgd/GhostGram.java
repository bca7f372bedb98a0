package org.fedgen.models.dpsgd;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-example squared gradient norms of dense layers where one example's gradient is the sum of T outer products
 * (T passes that each hold one row of the example: a GAN critic's real row, fake row and gradient-penalty row).
 * For weight matrix W_l example i's gradient is Σ_t a_{t,i}ᵀ δ_{t,i}, whose squared Frobenius norm is
 * Σ_{t,u} (a_{t,i}·a_{u,i})(δ_{t,i}·δ_{u,i}) = ⟨A_i, D_i⟩ for the T × T Gram matrices A_i of the inputs and D_i of the
 * output gradients. A bias whose gradient is
 * Σ_{t&lt;b} δ_{t,i} (the first b passes see the bias, as if their input had an extra coordinate 1) adds the ones of that
 * b × b block to A_i.
 *
 * <p>The T(T+1)/2 row-wise dot products per side are taken in Java over one bulk copy of each matrix: ND4J's
 * row-wise reductions (norm2, a Reduce3 dot along a dimension, a batched matmul of [rows, T, width]) each cost
 * more for a 64 × 784 batch than all six dot products of one side in a plain loop, and most of them allocate.
 *
 * <p>Not thread-safe: one instance per network; its copies are reused from batch to batch.
 */
public final class GhostGram {
    private final int terms;
    private final int biasTerms;
    private int rows;
    private double[] total = new double[0];
    private final RowMajorCopy[] inputs;
    private final RowMajorCopy[] deltas;
    private final double[] gramA;

    /**
     * Norms of examples that are each the sum of {@code terms} passes, of which the first {@code biasTerms} see every
     * layer's bias.
     *
     * @throws IllegalArgumentException for terms below 1, or bias terms outside [0, terms]
     */
    public GhostGram(int terms, int biasTerms) {
        if (terms < 1 || biasTerms < 0 || biasTerms > terms) {
            throw new IllegalArgumentException("need terms >= 1 and 0 <= bias terms <= terms, got terms " + terms
                    + ", bias terms " + biasTerms);
        }
        this.terms = terms;
        this.biasTerms = biasTerms;
        inputs = new RowMajorCopy[terms];
        deltas = new RowMajorCopy[terms];
        for (int t = 0; t < terms; t++) {
            inputs[t] = new RowMajorCopy();
            deltas[t] = new RowMajorCopy();
        }
        gramA = new double[terms * terms];
    }

    /** The passes per example. */
    public int terms() {
        return terms;
    }

    /**
     * Starts a batch of {@code rows} examples: their squared norms are zero.
     *
     * @throws IllegalArgumentException if rows is below 1
     */
    public void reset(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("need at least one row, got " + rows);
        }
        this.rows = rows;
        if (total.length != rows) {
            total = new double[rows];
        }
        Arrays.fill(total, 0);
    }

    /**
     * Adds one dense layer's share of every example's squared gradient norm.
     *
     * @param a     the T input matrices of the layer, each [rows, in]
     * @param delta the T output-gradient matrices of the layer, each [rows, out]
     * @throws IllegalArgumentException if there are not T of each or a shape does not match
     * @throws IllegalStateException before the first {@link #reset}
     */
    public void addLayer(INDArray[] a, INDArray[] delta) {
        if (a.length != terms || delta.length != terms) {
            throw new IllegalArgumentException("need " + terms + " inputs and output gradients, got " + a.length
                    + " and " + delta.length);
        }
        if (rows == 0) {
            throw new IllegalStateException("reset(rows) starts a batch");
        }
        for (int t = 0; t < terms; t++) {
            inputs[t].load(a[t], rows, a[0].columns());
            deltas[t].load(delta[t], rows, delta[0].columns());
        }
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < terms; t++) {
                for (int u = t; u < terms; u++) {
                    gramA[t * terms + u] = inputs[t].dot(inputs[u], i) + (u < biasTerms ? 1 : 0);
                }
            }
            double sq = 0;
            for (int t = 0; t < terms; t++) {
                for (int u = t; u < terms; u++) {
                    sq += (t == u ? 1 : 2) * gramA[t * terms + u] * deltas[t].dot(deltas[u], i);
                }
            }
            total[i] += sq;
        }
    }

    /**
     * The squared norms added since {@link #reset}, as a float64 [rows, 1] column (the shape
     * {@link GhostNorms#clipWeights} takes).
     */
    public INDArray squaredNorms() {
        return Nd4j.createFromArray(total.clone()).reshape(rows, 1);
    }
}
