package org.fedgen.models.vae;

/**
 * An independent double-precision implementation of the VAE training loss, written from the documented parameter
 * layout with plain loops, for gradient checks of the ND4J implementation.
 */
final class ReferenceVae {
    private final int d;
    private final int h;
    private final int l;
    private final int k;
    private final double beta;

    ReferenceVae(VaeConfig c) {
        this.d = c.inputDim();
        this.h = c.hiddenDim();
        this.l = c.latentDim();
        this.k = c.numClasses();
        this.beta = c.beta();
    }

    /** Mean over examples of BCE-with-logits summed over features + beta * KL, for the given noise. */
    double loss(double[] enc, double[] dec, double[][] x, int[] labels, double[][] eps) {
        double total = 0;
        for (int n = 0; n < x.length; n++) {
            double[] in = concat(x[n], labels == null ? -1 : labels[n]);
            int off = 0;
            double[] h1 = new double[h];
            off = dense(enc, off, in, h1, true);
            double[] mu = new double[l];
            off = dense(enc, off, h1, mu, false);
            double[] lv = new double[l];
            dense(enc, off, h1, lv, false);
            double kl = 0;
            double[] z = new double[l];
            for (int j = 0; j < l; j++) {
                z[j] = mu[j] + Math.exp(0.5 * lv[j]) * eps[n][j];
                kl += -0.5 * (1 + lv[j] - mu[j] * mu[j] - Math.exp(lv[j]));
            }
            double[] zin = concat(z, labels == null ? -1 : labels[n]);
            double[] d1 = new double[h];
            int doff = dense(dec, 0, zin, d1, true);
            double[] logits = new double[d];
            dense(dec, doff, d1, logits, false);
            double bce = 0;
            for (int p = 0; p < d; p++) {
                double t = logits[p];
                bce += Math.max(t, 0) - t * x[n][p] + Math.log1p(Math.exp(-Math.abs(t)));
            }
            total += bce + beta * kl;
        }
        return total / x.length;
    }

    private double[] concat(double[] v, int label) {
        if (k == 0) {
            return v;
        }
        double[] out = new double[v.length + k];
        System.arraycopy(v, 0, out, 0, v.length);
        out[v.length + label] = 1;
        return out;
    }

    /** out = act(in W + b) with W [in, out] row-major at {@code off}, then b; returns the offset after the layer. */
    private static int dense(double[] p, int off, double[] in, double[] out, boolean relu) {
        int m = out.length;
        for (int j = 0; j < m; j++) {
            double s = p[off + in.length * m + j];
            for (int i = 0; i < in.length; i++) {
                s += in[i] * p[off + i * m + j];
            }
            out[j] = relu ? Math.max(s, 0) : s;
        }
        return off + in.length * m + m;
    }
}
