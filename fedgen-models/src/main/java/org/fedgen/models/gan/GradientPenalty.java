package org.fedgen.models.gan;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The WGAN-GP penalty P = s · λ · Σᵢ (‖∇ₓ D(x̂ᵢ)‖₂ − 1)² and its gradient with respect to the critic's weights, by
 * hand-written double backpropagation.
 *
 * <p><b>Derivation.</b> The critic is D(x) = h_L W_{L+1} + b_{L+1}, h_l = f(h_{l−1} W_l + b_l), h_0 = [x, y] with
 * f = leaky ReLU. f'' = 0 almost everywhere, so with the masks S_l = f'(a_l) held fixed (they are piecewise constant
 * in every parameter), the input gradient of a batch is a product of weight matrices and masks:
 * <pre>
 *   Δ_L = S_L ⊙ (1 W_{L+1}ᵀ),   Δ_l = S_l ⊙ (Δ_{l+1} W_{l+1}ᵀ),   G = Δ_1 W_xᵀ     (W_x = rows of W_1 for x)
 * </pre>
 * With U = ∂P/∂G, Uᵢ = s λ 2 (‖Gᵢ‖ − 1) Gᵢ / ‖Gᵢ‖, the chain rule through these bilinear maps gives
 * <pre>
 *   ∂P/∂W_x = Uᵀ Δ_1,                R_1 = U W_x
 *   V_l = R_l ⊙ S_l,  ∂P/∂W_{l+1} = V_lᵀ Δ_{l+1},  R_{l+1} = V_l W_{l+1}     (l = 1 … L−1)
 *   ∂P/∂W_{L+1} = (V_L)ᵀ 1,  V_L = R_L ⊙ S_L
 * </pre>
 * and zero for every bias and for the label rows of W_1 (they only move the kinks). The masks come from the critic's
 * forward pass at x̂, which {@link #addGradient} expects to have been run with masks kept.
 */
final class GradientPenalty {
    private final Mlp critic;
    private final int dataDim;
    private final INDArray weightX;
    private final INDArray gradWeightX;
    private final Map<Integer, Buffers> buffers = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Buffers> eldest) {
            return size() > 6;
        }
    };

    /** @param dataDim the leading input columns that are data (the rest is the one-hot label) */
    GradientPenalty(Mlp critic, int dataDim) {
        if (critic.outputSize() != 1) {
            throw new IllegalArgumentException("gradient penalty needs a scalar critic, got output size "
                    + critic.outputSize());
        }
        this.critic = critic;
        this.dataDim = dataDim;
        this.weightX = critic.weight(0).get(NDArrayIndex.interval(0, dataDim), NDArrayIndex.all());
        this.gradWeightX = critic.weightGradient(0).get(NDArrayIndex.interval(0, dataDim), NDArrayIndex.all());
    }

    /**
     * Adds ∂P/∂θ to the critic's gradient vector and returns P.
     *
     * @param ws     the workspace of a forward pass at the interpolates with masks kept
     * @param lambda λ
     * @param scale  s, the weight of each row (1/n for a mean over n rows)
     */
    double addGradient(Mlp.Workspace ws, double lambda, double scale) {
        int hidden = critic.numLayers() - 1;
        Buffers buf = buffers.computeIfAbsent(ws.rows, r -> new Buffers(r));
        // Δ_L = S_L ⊙ w_outᵀ (row broadcast)
        INDArray wOut = critic.weight(hidden).reshape(1, critic.weight(hidden).rows());
        buf.delta[hidden - 1].assign(ws.mask(hidden - 1)).muliRowVector(wOut);
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
            penalty += (n - 1) * (n - 1);
            coef[i] = n > 0 ? scale * lambda * 2 * (n - 1) / n : 0.0;
        }
        g.muliColumnVector(Nd4j.createFromArray(coef).castTo(g.dataType()).reshape(norms.length, 1));

        Nd4j.gemm(g, buf.delta[0], gradWeightX, true, false, 1.0, 1.0);
        Nd4j.gemm(g, weightX, buf.r[0], false, false, 1.0, 0.0);
        for (int l = 0; l < hidden; l++) {
            buf.r[l].muli(ws.mask(l));
            if (l + 1 < hidden) {
                Nd4j.gemm(buf.r[l], buf.delta[l + 1], critic.weightGradient(l + 1), true, false, 1.0, 1.0);
                Nd4j.gemm(buf.r[l], critic.weight(l + 1), buf.r[l + 1], false, false, 1.0, 0.0);
            } else {
                Nd4j.gemm(buf.r[l], buf.onesCol, critic.weightGradient(hidden), true, false, 1.0, 1.0);
            }
        }
        return scale * lambda * penalty;
    }

    /** Per-batch-size buffers. */
    private final class Buffers {
        final INDArray[] delta;
        final INDArray[] r;
        final INDArray inputGrad;
        final INDArray onesCol;

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
            inputGrad = Nd4j.create(dt, rows, dataDim);
            onesCol = Nd4j.ones(dt, rows, 1);
        }
    }
}
