package org.fedgen.bench.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * fedgen's MLP VAE on libtorch: x → relu(x W1 + b1) → (μ, log σ²) heads, z = μ + exp(log σ² / 2) ε, decoder
 * z → relu → logits; loss = mean over the batch of the BCE with logits summed over pixels plus KL. Adam with fedgen's
 * VAE defaults (lr 1e-3, β 0.9 / 0.999, ε 1e-8).
 */
public final class TorchVae extends TorchNet {
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray wm;
    private final NDArray bm;
    private final NDArray wv;
    private final NDArray bv;
    private final NDArray w3;
    private final NDArray b3;
    private final NDArray w4;
    private final NDArray b4;
    private final int latent;

    /**
     * @param features row-major [rows, inputDim] training data
     * @param hidden   hidden width (400 in fedgen's default)
     * @param latent   latent width (20)
     */
    public TorchVae(float[] features, int rows, int inputDim, int hidden, int latent, int batch, long seed) {
        super(features, rows, inputDim, batch, seed);
        this.latent = latent;
        w1 = weight(0, inputDim, hidden);
        b1 = bias(0, hidden);
        wm = weight(0, hidden, latent);
        bm = bias(0, latent);
        wv = weight(0, hidden, latent);
        bv = bias(0, latent);
        w3 = weight(0, latent, hidden);
        b3 = bias(0, hidden);
        w4 = weight(0, hidden, inputDim);
        b4 = bias(0, inputDim);
        adam(0, 1e-3f, 0.9f, 0.999f, 1e-8f);
    }

    @Override
    float step(NDManager step) {
        NDArray x = batchOf(step);
        NDArray eps = step.randomNormal(new Shape(batch, latent));
        return optimize(step, m -> {
            NDArray h = Activation.relu(x.matMul(w1).add(b1));
            NDArray mu = h.matMul(wm).add(bm);
            NDArray logVar = h.matMul(wv).add(bv);
            NDArray std = logVar.mul(0.5f).exp();
            NDArray z = std.mul(eps).add(mu);
            NDArray d = Activation.relu(z.matMul(w3).add(b3));
            NDArray logits = d.matMul(w4).add(b4);
            // BCE with logits = softplus(l) − l·x, summed over pixels and rows.
            NDArray recon = Activation.softPlus(logits).sub(logits.mul(x)).sum();
            NDArray kl = logVar.add(1f).sub(mu.square()).sub(std.square()).sum().mul(-0.5f);
            return recon.add(kl).div(batch);
        }, 0);
    }
}
