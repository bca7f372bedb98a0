package org.fedgen.models.optim;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedgen.core.io.ExactState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam (Kingma and Ba 2015) with bias correction, in the standard convention where ε is added to the
 * bias-corrected √v̂. With t the 1-based step count since the last {@link #reset()}:
 *
 * <pre>
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,
 *   m̂ = m / (1 − β1ᵗ),      v̂ = v / (1 − β2ᵗ),
 *   w ← w − lr · m̂ / (√v̂ + ε).
 * </pre>
 *
 * <p>This differs from ND4J's {@code adam_updater} (and DL4J's Adam), which adds ε to the uncorrected √v; the two
 * agree except where √v is comparable to ε. The update is computed as
 * {@code w −= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε·√(1−β2ᵗ))}, which is algebraically the formula above, in one fused
 * pass over the vectors (chunks of the native parameter and gradient buffers are copied through small Java arrays;
 * the moments live on the Java heap), instead of nine ND4J calls that each sweep the vectors. Every element goes
 * through the float32 operations of the earlier nine-call form in the same order, with the three BLAS saxpy updates
 * as fused multiply-adds in whole 32-element blocks and as a multiply and an add in the rest, as OpenBLAS's saxpy
 * kernel for AVX2/AVX-512 computes them. These bits are the same on every machine; the nine-call form's are not,
 * since OpenBLAS picks its kernel by CPU and some kernels also fuse the last n mod 32 elements. The gradient is left
 * as it was.
 */
public final class FlatAdam implements FlatOptimizer {
    /** Elements per chunk: the chunk arrays stay in the L1 cache. */
    private static final int CHUNK = 2048;
    /** OpenBLAS's saxpy kernel works in blocks of this many elements and finishes the rest in plain C. */
    private static final int BLAS_BLOCK = 32;
    private final long length;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final float[] m;
    private final float[] v;
    private final float[] gChunk = new float[CHUNK];
    private final float[] wChunk = new float[CHUNK];
    private int iteration;

    /**
     * @param length  the parameter vector length, &gt; 0 and at most {@link Integer#MAX_VALUE}
     * @param beta1   first-moment decay, in [0, 1)
     * @param beta2   second-moment decay, in [0, 1)
     * @param epsilon the term added to √v̂, &gt; 0
     * @throws IllegalArgumentException naming the bad value
     */
    public FlatAdam(long length, double beta1, double beta2, double epsilon) {
        checkLength(length);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Adam vector length must be <= " + Integer.MAX_VALUE + ", got "
                    + length);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Adam beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("Adam epsilon must be finite and > 0, got " + epsilon);
        }
        this.length = length;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new float[(int) length];
        this.v = new float[(int) length];
    }

    /** Zeroes the moments and the step count, reusing the buffers. */
    @Override
    public void reset() {
        java.util.Arrays.fill(m, 0f);
        java.util.Arrays.fill(v, 0f);
        iteration = 0;
    }

    /** Number of steps taken since construction or the last {@link #reset()}. */
    public int iteration() {
        return iteration;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void step(INDArray params, INDArray grad, double learningRate) {
        checkStep(length, params, grad, learningRate);
        requireDense("params", params);
        requireDense("grad", grad);
        iteration++;
        double c1 = 1 - Math.pow(beta1, iteration);
        double sqrtC2 = Math.sqrt(1 - Math.pow(beta2, iteration));
        // The scalars as ND4J and BLAS saw them: float32 casts of the double expressions.
        float b1 = (float) beta1;
        float a1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float a2 = (float) (1 - beta2);
        float eps = (float) (epsilon * sqrtC2);
        float rate = (float) (-learningRate * sqrtC2 / c1);
        FloatBuffer w = params.data().asNioFloat();
        FloatBuffer g = grad.data().asNioFloat();
        int wBase = (int) params.offset();
        int gBase = (int) grad.offset();
        int n = (int) length;
        int fmaEnd = n & -BLAS_BLOCK;
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            g.get(gBase + from, gChunk, 0, len);
            w.get(wBase + from, wChunk, 0, len);
            if (from + len <= fmaEnd) {
                update(from, len, b1, a1, b2, a2, eps, rate);
            } else {
                int fused = Math.max(0, fmaEnd - from);
                update(from, fused, b1, a1, b2, a2, eps, rate);
                updateTail(from, fused, len, b1, a1, b2, a2, eps, rate);
            }
            w.put(wBase + from, wChunk, 0, len);
        }
    }

    /** The elements past the last whole BLAS block, where saxpy multiplies and adds with two roundings. */
    private void updateTail(int from, int begin, int len, float b1, float a1, float b2, float a2, float eps,
            float rate) {
        for (int i = begin; i < len; i++) {
            int j = from + i;
            float gi = gChunk[i];
            float mi = m[j] * b1 + a1 * gi;
            float vi = v[j] * b2 + a2 * (gi * gi);
            m[j] = mi;
            v[j] = vi;
            wChunk[i] = wChunk[i] + rate * (mi / ((float) Math.sqrt(vi) + eps));
        }
    }

    private void update(int from, int len, float b1, float a1, float b2, float a2, float eps, float rate) {
        float[] gc = gChunk;
        float[] wc = wChunk;
        float[] mm = m;
        float[] vv = v;
        for (int i = 0; i < len; i++) {
            int j = from + i;
            float gi = gc[i];
            float mi = Math.fma(a1, gi, mm[j] * b1);
            float vi = Math.fma(a2, gi * gi, vv[j] * b2);
            mm[j] = mi;
            vv[j] = vi;
            wc[i] = Math.fma(rate, mi / ((float) Math.sqrt(vi) + eps), wc[i]);
        }
    }

    private static void requireDense(String name, INDArray a) {
        if (a.length() > 1 && a.elementWiseStride() != 1) {
            throw new IllegalArgumentException(name + " must be a contiguous vector, got element-wise stride "
                    + a.elementWiseStride());
        }
    }
    static void checkLength(long length) {
        if (length <= 0) {
            throw new IllegalArgumentException("optimizer vector length must be > 0, got " + length);
        }
    }

    static void checkStep(long length, INDArray params, INDArray grad, double learningRate) {
        if (!(learningRate >= 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
        }
        check("params", params, length);
        check("grad", grad, length);
    }

    private static void check(String name, INDArray a, long length) {
        if (a.length() != length) {
            throw new IllegalArgumentException(name + " must have length " + length + ", got shape "
                    + java.util.Arrays.toString(a.shape()));
        }
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(name + " must be FLOAT, got " + a.dataType());
        }
    }

    /** The moments {@code m}, {@code v} (copies) and the step count {@code t}, for a checkpoint. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        s.put("m", org.nd4j.linalg.factory.Nd4j.createFromArray(m.clone()));
        s.put("v", org.nd4j.linalg.factory.Nd4j.createFromArray(v.clone()));
        s.put("t", ExactState.ofLongs(iteration));
        return s;
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @throws IllegalArgumentException if an entry is missing or has the wrong length
     */
    public void restoreState(Map<String, INDArray> s) {
        for (String k : new String[] {"m", "v", "t"}) {
            if (!s.containsKey(k)) {
                throw new IllegalArgumentException("Adam state lacks '" + k + "', has " + s.keySet());
            }
        }
        check("m", s.get("m"), length);
        check("v", s.get("v"), length);
        System.arraycopy(s.get("m").reshape(length).toFloatVector(), 0, m, 0, m.length);
        System.arraycopy(s.get("v").reshape(length).toFloatVector(), 0, v, 0, v.length);
        iteration = Math.toIntExact(ExactState.toLong("t", s.get("t")));
    }
}
