package org.fedgen.bench.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * fedgen's default MLP ε-predictor on libtorch: conditioning c = [sin(t ω), cos(t ω)] (128 wide), hidden layers
 * a_l = f(a_{l−1} W_l + c U_l + b_l) with SiLU (residual when the width repeats: 784 → 512 → 512), output
 * a_L W_o + b_o plus the learned Gaussian prior skip b (x_t − a μ) / (a² σ'² + b²), σ' = √(σ² + 0.03²); loss = mean
 * squared error against ε, x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε with the linear schedule (T = 1000), Adam lr 1e-3.
 */
public final class TorchDdpm extends TorchNet {
    private static final double MAX_PERIOD = 10_000;
    private static final float PRIOR_SCALE = 10f;
    private static final float PRIOR_MIN_STD = 0.03f;
    private final int steps;
    private final NDArray sqrtAlphaBar;
    private final NDArray sqrtOneMinus;
    private final NDArray frequencies;
    private final NDArray[] w;
    private final NDArray[] u;
    private final NDArray[] b;
    private final NDArray priorMean;
    private final NDArray priorStd;

    /** A denoiser over row-major [rows, dataDim] data in [0, 1] with the given hidden widths and time embedding. */
    public TorchDdpm(float[] features, int rows, int dataDim, int[] hidden, int timeDim, int diffusionSteps,
            int batch, long seed) {
        super(features, rows, dataDim, batch, seed);
        this.steps = diffusionSteps;
        float[] ab = new float[diffusionSteps];
        float[] om = new float[diffusionSteps];
        double prod = 1;
        double scale = 1000.0 / diffusionSteps;
        for (int t = 0; t < diffusionSteps; t++) {
            double beta = scale * (1e-4 + (0.02 - 1e-4) * t / Math.max(1, diffusionSteps - 1));
            prod *= 1 - beta;
            ab[t] = (float) Math.sqrt(prod);
            om[t] = (float) Math.sqrt(1 - prod);
        }
        sqrtAlphaBar = manager.create(ab);
        sqrtOneMinus = manager.create(om);
        int half = timeDim / 2;
        float[] f = new float[half];
        for (int i = 0; i < half; i++) {
            f[i] = (float) Math.exp(-Math.log(MAX_PERIOD) * i / half);
        }
        frequencies = manager.create(f, new Shape(1, half));
        w = new NDArray[hidden.length + 1];
        u = new NDArray[hidden.length];
        b = new NDArray[hidden.length + 1];
        for (int l = 0; l <= hidden.length; l++) {
            int in = l == 0 ? dataDim : hidden[l - 1];
            int out = l < hidden.length ? hidden[l] : dataDim;
            w[l] = weight(0, in, out);
            if (l < hidden.length) {
                u[l] = weight(0, timeDim, out);
            }
            b[l] = bias(0, out);
        }
        priorMean = register(0, manager.zeros(new Shape(1, dataDim), DataType.FLOAT32));
        priorStd = register(0, manager.ones(new Shape(1, dataDim), DataType.FLOAT32).div(PRIOR_SCALE));
        adam(0, 1e-3f, 0.9f, 0.999f, 1e-8f);
    }

    @Override
    float step(NDManager step) {
        NDArray x0 = batchOf(step).mul(2f).sub(1f);
        NDArray t = step.create(ints(batch, steps));
        NDArray a = owned(step, sqrtAlphaBar.get(t)).reshape(batch, 1);
        NDArray s = owned(step, sqrtOneMinus.get(t)).reshape(batch, 1);
        NDArray eps = step.randomNormal(new Shape(batch, x0.getShape().get(1)));
        NDArray xt = x0.mul(a).add(eps.mul(s));
        NDArray angles = t.toType(DataType.FLOAT32, false).reshape(batch, 1).matMul(frequencies);
        NDArray c = NDArrays.concat(new ai.djl.ndarray.NDList(angles.sin(), angles.cos()), 1);
        return optimize(step, m -> {
            NDArray h = xt;
            for (int l = 0; l < u.length; l++) {
                NDArray f = Activation.swish(h.matMul(w[l]).add(c.matMul(u[l])).add(b[l]), 1f);
                h = l > 0 && h.getShape().get(1) == f.getShape().get(1) ? h.add(f) : f;
            }
            NDArray out = h.matMul(w[u.length]).add(b[u.length]);
            // A step-owned scalar as first operand keeps the results in the step's manager.
            NDArray mu = m.create(PRIOR_SCALE).mul(priorMean);
            NDArray sigma2 = m.create(PRIOR_SCALE).mul(priorStd).square().add(PRIOR_MIN_STD * PRIOR_MIN_STD);
            NDArray skip = xt.sub(a.mul(mu)).mul(s).div(a.square().mul(sigma2).add(s.square()));
            return out.add(skip).sub(eps).square().mean();
        }, 0);
    }
}
