package org.fedgen.models.vae;

import static org.fedgen.core.util.Checks.finiteNonNegative;
import static org.fedgen.core.util.Checks.finitePositive;
import static org.fedgen.core.util.Checks.positive;

import java.util.Objects;

/**
 * The shape and training settings of a {@link Vae}: an MLP encoder {@code x -> relu(hidden) -> (mu, logvar)} and an
 * MLP decoder {@code z -> relu(hidden) -> Bernoulli logits}. Immutable; build with {@link #builder()}.
 *
 * <p>With {@link #numClasses()} &gt; 0 the model is conditional: a one-hot label is concatenated to the encoder input
 * and to the decoder input.
 */
public final class VaeConfig {

    /** The local optimizer used by {@link Vae#fit}. */
    public enum Optimizer {
        /** Adam (Kingma and Ba 2015) with bias correction, fresh moments every fit. */
        ADAM,
        /** Plain stochastic gradient descent: w -= lr * g. */
        SGD
    }

    private final int inputDim;
    private final int hiddenDim;
    private final int latentDim;
    private final double beta;
    private final Optimizer optimizer;
    private final double adamBeta1;
    private final double adamBeta2;
    private final double adamEpsilon;
    private final int numClasses;

    private VaeConfig(Builder b) {
        this.inputDim = b.inputDim;
        this.hiddenDim = b.hiddenDim;
        this.latentDim = b.latentDim;
        this.beta = b.beta;
        this.optimizer = b.optimizer;
        this.adamBeta1 = b.adamBeta1;
        this.adamBeta2 = b.adamBeta2;
        this.adamEpsilon = b.adamEpsilon;
        this.numClasses = b.numClasses;
    }

    /** A builder with the defaults 784-400-20, beta 1, Adam(0.9, 0.999, 1e-8), unconditional. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.inputDim = inputDim;
        b.hiddenDim = hiddenDim;
        b.latentDim = latentDim;
        b.beta = beta;
        b.optimizer = optimizer;
        b.adamBeta1 = adamBeta1;
        b.adamBeta2 = adamBeta2;
        b.adamEpsilon = adamEpsilon;
        b.numClasses = numClasses;
        return b;
    }

    /** Number of features of one example (784 for 28x28 digits). */
    public int inputDim() {
        return inputDim;
    }

    /** Width of the single hidden layer of the encoder and of the decoder. */
    public int hiddenDim() {
        return hiddenDim;
    }

    /** Dimension of the latent code z. */
    public int latentDim() {
        return latentDim;
    }

    /** Weight of the KL term in the training loss (beta-VAE); evaluation always uses 1. */
    public double beta() {
        return beta;
    }

    /** The local optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Adam β1. */
    public double adamBeta1() {
        return adamBeta1;
    }

    /** Adam β2. */
    public double adamBeta2() {
        return adamBeta2;
    }

    /** Adam ε. */
    public double adamEpsilon() {
        return adamEpsilon;
    }

    /** Number of label classes of the conditional variant; 0 for the unconditional model. */
    public int numClasses() {
        return numClasses;
    }

    /** Whether a one-hot label is fed to encoder and decoder. */
    public boolean isConditional() {
        return numClasses > 0;
    }

    /** Length of the flat {@code encoder} part. */
    public long encoderSize() {
        long in = (long) inputDim + numClasses;
        return in * hiddenDim + hiddenDim + 2L * ((long) hiddenDim * latentDim + latentDim);
    }

    /** Length of the flat {@code decoder} part. */
    public long decoderSize() {
        long in = (long) latentDim + numClasses;
        return in * hiddenDim + hiddenDim + (long) hiddenDim * inputDim + inputDim;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VaeConfig c)) {
            return false;
        }
        return inputDim == c.inputDim && hiddenDim == c.hiddenDim && latentDim == c.latentDim
                && Double.compare(beta, c.beta) == 0 && optimizer == c.optimizer
                && Double.compare(adamBeta1, c.adamBeta1) == 0 && Double.compare(adamBeta2, c.adamBeta2) == 0
                && Double.compare(adamEpsilon, c.adamEpsilon) == 0 && numClasses == c.numClasses;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputDim, hiddenDim, latentDim, beta, optimizer, adamBeta1, adamBeta2, adamEpsilon,
                numClasses);
    }

    @Override
    public String toString() {
        return "VaeConfig{" + inputDim + "-" + hiddenDim + "-" + latentDim + ", beta=" + beta + ", optimizer="
                + optimizer + (optimizer == Optimizer.ADAM
                        ? "(" + adamBeta1 + ", " + adamBeta2 + ", " + adamEpsilon + ")" : "")
                + ", numClasses=" + numClasses + '}';
    }

    /** Builder for {@link VaeConfig}; every setter checks its argument. */
    public static final class Builder {
        private int inputDim = 784;
        private int hiddenDim = 400;
        private int latentDim = 20;
        private double beta = 1.0;
        private Optimizer optimizer = Optimizer.ADAM;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private int numClasses = 0;

        private Builder() {
        }

        /** Sets {@link VaeConfig#inputDim()}. */
        public Builder inputDim(int v) {
            inputDim = positive("inputDim", v);
            return this;
        }

        /** Sets {@link VaeConfig#hiddenDim()}. */
        public Builder hiddenDim(int v) {
            hiddenDim = positive("hiddenDim", v);
            return this;
        }

        /** Sets {@link VaeConfig#latentDim()}. */
        public Builder latentDim(int v) {
            latentDim = positive("latentDim", v);
            return this;
        }

        /** Sets {@link VaeConfig#beta()}. */
        public Builder beta(double v) {
            beta = finiteNonNegative("beta", v);
            return this;
        }

        /** The local optimizer. */
        public Builder optimizer(Optimizer v) {
            optimizer = Objects.requireNonNull(v, "optimizer");
            return this;
        }

        /** Adam β1. */
        public Builder adamBeta1(double v) {
            adamBeta1 = unitInterval("adamBeta1", v);
            return this;
        }

        /** Adam β2. */
        public Builder adamBeta2(double v) {
            adamBeta2 = unitInterval("adamBeta2", v);
            return this;
        }

        /** Adam ε. */
        public Builder adamEpsilon(double v) {
            adamEpsilon = finitePositive("adamEpsilon", v);
            return this;
        }

        /** 0 for an unconditional model, otherwise the number of label classes. */
        public Builder numClasses(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("numClasses must be >= 0, got " + v);
            }
            numClasses = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a flat part would exceed the 2^31 - 1 elements an INDArray view allows
         */
        public VaeConfig build() {
            VaeConfig c = new VaeConfig(this);
            if (c.encoderSize() > Integer.MAX_VALUE || c.decoderSize() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("VAE too large: encoder " + c.encoderSize() + " and decoder "
                        + c.decoderSize() + " parameters");
            }
            return c;
        }

        private static double unitInterval(String name, double v) {
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
            }
            return v;
        }
    }
}
