package org.fedgen.bench.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * fedgen's default MLP GAN on libtorch: G z(64) → 256 → 512 → 784 (sigmoid), D 784 → 512 → 256 → 1 logit, leaky ReLU
 * 0.2, non-saturating BCE, Adam lr 2e-4, β 0.5 / 0.999. One step = one D update on a real and a fake batch (the fakes
 * detached from G) followed by one G update through D, as {@code Gan.fit} does per iteration.
 */
public final class TorchGan extends TorchNet {
    private static final int G = 0;
    private static final int D = 1;
    private static final float SLOPE = 0.2f;
    private final int latent;
    private final NDArray[] gw;
    private final NDArray[] gb;
    private final NDArray[] dw;
    private final NDArray[] db;

    /** A GAN over row-major [rows, dataDim] data with the given layer widths (input and output included). */
    public TorchGan(float[] features, int rows, int[] generatorLayers, int[] discriminatorLayers, int batch,
            long seed) {
        super(features, rows, generatorLayers[generatorLayers.length - 1], batch, seed);
        this.latent = generatorLayers[0];
        gw = new NDArray[generatorLayers.length - 1];
        gb = new NDArray[gw.length];
        for (int l = 0; l < gw.length; l++) {
            gw[l] = weight(G, generatorLayers[l], generatorLayers[l + 1]);
            gb[l] = bias(G, generatorLayers[l + 1]);
        }
        dw = new NDArray[discriminatorLayers.length - 1];
        db = new NDArray[dw.length];
        for (int l = 0; l < dw.length; l++) {
            dw[l] = weight(D, discriminatorLayers[l], discriminatorLayers[l + 1]);
            db[l] = bias(D, discriminatorLayers[l + 1]);
        }
        adam(G, 2e-4f, 0.5f, 0.999f, 1e-8f);
        adam(D, 2e-4f, 0.5f, 0.999f, 1e-8f);
    }

    private static NDArray mlp(NDArray in, NDArray[] w, NDArray[] b) {
        NDArray a = in;
        for (int l = 0; l < w.length; l++) {
            a = a.matMul(w[l]).add(b[l]);
            if (l < w.length - 1) {
                a = Activation.leakyRelu(a, SLOPE);
            }
        }
        return a;
    }

    @Override
    float step(NDManager step) {
        NDArray real = batchOf(step);
        NDArray zd = step.randomNormal(new Shape(batch, latent));
        NDArray zg = step.randomNormal(new Shape(batch, latent));
        optimize(step, m -> {
            NDArray fake = Activation.sigmoid(mlp(zd, gw, gb)).stopGradient();
            // −log σ(D(real)) − log(1 − σ(D(fake))) = softplus(−D(real)) + softplus(D(fake)), batch means.
            return Activation.softPlus(mlp(real, dw, db).neg()).mean()
                    .add(Activation.softPlus(mlp(fake, dw, db)).mean());
        }, D);
        return optimize(step, m -> Activation.softPlus(mlp(Activation.sigmoid(mlp(zg, gw, gb)), dw, db).neg()).mean(),
                G);
    }
}
