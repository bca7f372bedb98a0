package org.fedgen.models.gan;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The WGAN-GP penalty P = s · λ · Σᵢ (‖∇ₓ D(x̂ᵢ, yᵢ)‖₂ − 1)² and its gradient with respect to the critic's weights, by
 * hand-written double backpropagation.
 *
 * <p><b>Derivation.</b> The critic's last layer has K outputs o = h_L W_{L+1} + b_{L+1}; the critic value of row i is
 * D_i = Σ_k O_ik o_ik with a fixed 0/1 selection O (a column of ones for the unconditional K = 1; ones at columns 0
 * and 1 + y_i for the projection discriminator, see {@link GanConfig}). h_l = f(h_{l−1} W_l + b_l), h_0 = x, with
 * f = leaky ReLU. f'' = 0 almost everywhere, so with the masks S_l = f'(a_l) held fixed (they are piecewise constant
 * in every parameter), the input gradient of a batch is a product of weight matrices and masks:
 * <pre>
 *   Δ_L = S_L ⊙ (O W_{L+1}ᵀ),   Δ_l = S_l ⊙ (Δ_{l+1} W_{l+1}ᵀ),   G = Δ_1 W_1ᵀ
 * </pre>
 * With U = ∂P/∂G, Uᵢ = s λ 2 (‖Gᵢ‖ − 1) Gᵢ / ‖Gᵢ‖, the chain rule through these bilinear maps gives
 * <pre>
 *   ∂P/∂W_1 = Uᵀ Δ_1,                R_1 = U W_1
 *   V_l = R_l ⊙ S_l,  ∂P/∂W_{l+1} = V_lᵀ Δ_{l+1},  R_{l+1} = V_l W_{l+1}     (l = 1 … L−1)
 *   ∂P/∂W_{L+1} = V_Lᵀ O,  V_L = R_L ⊙ S_L
 * </pre>
 * and zero for every bias (they only move the kinks). The masks come from the critic's forward pass at x̂, which
 * {@link #addGradient} expects to have been run with masks kept.
 */
final class GradientPenalty {
    private final Mlp critic;
    private final Map<Integer, Buffers> buffers = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Buffers> eldest) {
            return size() > 6;
        }
    };

    GradientPenalty(Mlp critic) {
        this.critic = critic;
    }

    /**
     * Adds ∂P/∂θ to the critic's gradient vector and returns P.
     *
     * @param ws        the workspace of a forward pass at the interpolates with masks kept
     * @param lambda    λ
     * @param scale     s, the weight of each row (1/n for a mean over n rows)
     * @param selection O, [rows, K], or null for a single-output critic (O = ones)
     */
    double addGradient(Mlp.Workspace ws, double lambda, double scale, INDArray selection) {
        return pass(ws, lambda, scale, selection, null, true);
    }

    /**
     * The penalty of rows weighted by {@code rowWeights} [rows, 1] (row i's term times w_i), added to the gradient
     * when {@code write}; otherwise the gradient is left alone and {@link #outerProducts} then holds each row's
     * penalty gradient per weight matrix. Returns the weighted P.
     */
    double pass(Mlp.Workspace ws, double lambda, double scale, INDArray selection, INDArray rowWeights,
            boolean write) {
        int hidden = critic.numLayers() - 1;
        Buffers buf = buffers.computeIfAbsent(ws.rows, r -> new Buffers(r));
        INDArray o = selection != null ? selection : buf.onesCol;
        if (o.columns() != critic.outputSize() || o.rows() != ws.rows) {
            throw new IllegalArgumentException("selection must be [" + ws.rows + ", " + critic.outputSize()
                    + "], got " + java.util.Arrays.toString(o.shape()));
        }
        buf.selection = o;
        INDArray weightX = critic.weight(0);
        Nd4j.gemm(o, critic.weight(hidden), buf.delta[hidden - 1], false, true, 1.0, 0.0);
        buf.delta[hidden - 1].muli(ws.mask(hidden - 1));
        for (int l = hidden - 2; l >= 0; l--) {
            Nd4j.gemm(buf.delta[l + 1], critic.weight(l + 1), buf.delta[l], false, true, 1.0, 0.0);
            buf.delta[l].muli(ws.mask(l));
        }
        INDArray g = buf.inputGrad;
        Nd4j.gemm(buf.delta[0], weightX, g, false, true, 1.0, 0.0);

        double[] norms = g.norm2(1).toDoubleVector();
        double[] coef = new double[norms.length];
        double penalty = 0;
        for (int i = 0; i < norms.length; i++) {
            double n = norms[i];
            double w = rowWeights == null ? 1.0 : rowWeights.getDouble(i, 0);
            penalty += w * (n - 1) * (n - 1);
            coef[i] = n > 0 ? w * scale * lambda * 2 * (n - 1) / n : 0.0;
        }
        g.muliColumnVector(Nd4j.createFromArray(coef).castTo(g.dataType()).reshape(norms.length, 1));

        if (write) {
            Nd4j.gemm(g, buf.delta[0], critic.weightGradient(0), true, false, 1.0, 1.0);
        }
        Nd4j.gemm(g, weightX, buf.r[0], false, false, 1.0, 0.0);
        for (int l = 0; l < hidden; l++) {
            buf.r[l].muli(ws.mask(l));
            if (l + 1 < hidden) {
                if (write) {
                    Nd4j.gemm(buf.r[l], buf.delta[l + 1], critic.weightGradient(l + 1), true, false, 1.0, 1.0);
                }
                Nd4j.gemm(buf.r[l], critic.weight(l + 1), buf.r[l + 1], false, false, 1.0, 0.0);
            } else if (write) {
                Nd4j.gemm(buf.r[l], o, critic.weightGradient(hidden), true, false, 1.0, 1.0);
            }
        }
        return scale * lambda * penalty;
    }

    /**
     * After {@link #pass} on {@code rows} rows: for weight matrix l the pair (p, q) of [rows, ·] matrices whose row
     * outer products p_iᵀ q_i are row i's penalty gradient of W_l (the biases get none).
     */
    INDArray[] outerProducts(int rows, int l) {
        Buffers buf = buffers.get(rows);
        int hidden = critic.numLayers() - 1;
        if (l == 0) {
            return new INDArray[] {buf.inputGrad, buf.delta[0]};
        }
        return new INDArray[] {buf.r[l - 1], l < hidden ? buf.delta[l] : buf.selection};
    }

    /**
     * After {@link #pass} without row weights and without writing on {@code rows} rows: adds Σ_i w_i p_iᵀ q_i for every
     * weight matrix into the critic's gradient ({@link #outerProducts}), which is what a pass with row weights w and
     * {@code write} would add (each row's penalty gradient is linear in its coefficient), without recomputing it.
     * Scales the p matrices in place: {@link #outerProducts} is spent afterwards.
     */
    void addWeightedGradient(int rows, INDArray rowWeights) {
        for (int l = 0; l < critic.numLayers(); l++) {
            INDArray[] pq = outerProducts(rows, l);
            // p is this pass's scratch, not read again before the next pass
            Nd4j.gemm(pq[0].muliColumnVector(rowWeights), pq[1], critic.weightGradient(l), true, false, 1.0, 1.0);
        }
    }

    /** Per-batch-size buffers. */
    private final class Buffers {
        final INDArray[] delta;
        final INDArray[] r;
        final INDArray inputGrad;
        final INDArray onesCol;
        /** O of the last pass. */
        INDArray selection;

        Buffers(int rows) {
            int hidden = critic.numLayers() - 1;
            var dt = critic.params().dataType();
            delta = new INDArray[hidden];
            r = new INDArray[hidden];
            for (int l = 0; l < hidden; l++) {
                long width = critic.weight(l).columns();
                delta[l] = Nd4j.create(dt, rows, width);
                r[l] = Nd4j.create(dt, rows, width);
            }
            inputGrad = Nd4j.create(dt, rows, critic.inputSize());
            onesCol = Nd4j.ones(dt, rows, 1);
        }
    }
}
