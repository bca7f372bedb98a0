package org.fedgen.models.gan;

import static org.fedgen.core.util.Checks.finiteNonNegative;
import static org.fedgen.core.util.Checks.finitePositive;
import static org.fedgen.core.util.Checks.positive;

import java.util.Arrays;
import java.util.Objects;

/**
 * Architecture and optimiser settings of a {@link Gan}: MLP generator z (+ one-hot label) → hidden → data, MLP
 * discriminator data → hidden → 1 logit (+ one output per class for the conditional variant), leaky-ReLU hidden
 * layers, Adam. Immutable; build with {@link #builder()}.
 *
 * <p>The conditional discriminator is a projection discriminator (Miyato &amp; Koyama 2018) with an auxiliary
 * classifier (Odena et al. 2017) on the same head: with outputs o_0 … o_C of the last layer, the critic is
 * D(x, y) = o_0 + o_{1+y} (the inner product of the last hidden layer with w + e_y), and o_1 … o_C are also the class
 * logits of a softmax cross-entropy weighted by {@link #classLossWeight()} (D: on real examples; G: on its samples
 * with the requested labels). The label enters D at its head rather than being concatenated to D's input, which the
 * generator learned to ignore (measured in {@code docs/results.md}).
 *
 * <p>The auxiliary class loss alone pulls each class's samples towards where the classifier is surest, which narrows
 * them to a few styles. With {@link #twinClassifier()} the head has C more outputs o_{1+C} … o_{2C}: a twin classifier
 * (TAC-GAN, Gong et al. 2019) that D trains on G's samples, with the same weight, and whose cross-entropy G maximises,
 * so G's loss carries weight · (CE(o_{1…C}, y) − CE(o_{1+C…2C}, y)) and the entropy-lowering pull cancels.
 */
public final class GanConfig {
    private final int dataDim;
    private final int latentDim;
    private final int[] generatorHidden;
    private final int[] discriminatorHidden;
    private final int numClasses;
    private final GanLoss loss;
    private final double gradientPenaltyWeight;
    private final int criticSteps;
    private final double leakySlope;
    private final OutputActivation outputActivation;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double adamEpsilon;
    private final double realLabel;
    private final double classLossWeight;
    private final boolean twinClassifier;
    private final int pack;
    private final double[] sourceWeights;

    private GanConfig(Builder b) {
        this.dataDim = b.dataDim;
        this.latentDim = b.latentDim;
        this.generatorHidden = b.generatorHidden.clone();
        this.discriminatorHidden = b.discriminatorHidden.clone();
        this.numClasses = b.numClasses;
        this.loss = b.loss;
        this.gradientPenaltyWeight = b.gradientPenaltyWeight;
        this.criticSteps = b.criticSteps;
        this.leakySlope = b.leakySlope;
        this.outputActivation = b.outputActivation;
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.adamEpsilon = b.adamEpsilon;
        this.realLabel = b.realLabel;
        this.classLossWeight = b.classLossWeight;
        this.twinClassifier = b.twinClassifier;
        this.pack = b.pack;
        this.sourceWeights = b.sourceWeights.clone();
    }

    /**
     * Defaults: 784-dimensional data, latent 64, G 64 → 256 → 512 → 784 (sigmoid), D 784 → 512 → 256 → 1, leaky slope
     * 0.2, unconditional, non-saturating BCE, λ = 10, 1 critic step, Adam lr 2e-4, β = (0.5, 0.999), ε = 1e-8,
     * pack 1.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataDim = dataDim;
        b.latentDim = latentDim;
        b.generatorHidden = generatorHidden.clone();
        b.discriminatorHidden = discriminatorHidden.clone();
        b.numClasses = numClasses;
        b.loss = loss;
        b.gradientPenaltyWeight = gradientPenaltyWeight;
        b.criticSteps = criticSteps;
        b.leakySlope = leakySlope;
        b.outputActivation = outputActivation;
        b.learningRate = learningRate;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.adamEpsilon = adamEpsilon;
        b.realLabel = realLabel;
        b.classLossWeight = classLossWeight;
        b.twinClassifier = twinClassifier;
        b.pack = pack;
        b.sourceWeights = sourceWeights.clone();
        return b;
    }

    /** Features per example (784 for digits). */
    public int dataDim() {
        return dataDim;
    }

    /** Width of the generator's noise input z. */
    public int latentDim() {
        return latentDim;
    }

    /** Hidden widths of the generator, input side first (a copy). */
    public int[] generatorHidden() {
        return generatorHidden.clone();
    }

    /** Hidden widths of the discriminator, input side first (a copy). */
    public int[] discriminatorHidden() {
        return discriminatorHidden.clone();
    }

    /** Number of classes for the conditional variant; 0 = unconditional. */
    public int numClasses() {
        return numClasses;
    }

    /** Whether G and D take labels. */
    public boolean conditional() {
        return numClasses > 0;
    }

    /** The adversarial loss. */
    public GanLoss loss() {
        return loss;
    }

    /** λ of the WGAN-GP gradient penalty. */
    public double gradientPenaltyWeight() {
        return gradientPenaltyWeight;
    }

    /** Discriminator (critic) updates per generator update, n_critic. */
    public int criticSteps() {
        return criticSteps;
    }

    /** Slope of the leaky ReLUs for negative inputs. */
    public double leakySlope() {
        return leakySlope;
    }

    /** The generator's output activation. */
    public OutputActivation outputActivation() {
        return outputActivation;
    }

    /** Adam step size for server-side generator training; local fits use the instructions' learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** Adam β1. */
    public double beta1() {
        return beta1;
    }

    /** Adam β2. */
    public double beta2() {
        return beta2;
    }

    /** Adam's ε, added to the bias-corrected √v̂ (see {@link org.fedgen.models.optim.FlatAdam}). */
    public double adamEpsilon() {
        return adamEpsilon;
    }

    /**
     * BCE target of real examples in the discriminator loss: 1, or e.g. 0.9 for one-sided label smoothing (the real
     * term becomes t·softplus(−l) + (1−t)·softplus(l)); the generator's target stays 1. Unused by WGAN-GP.
     */
    public double realLabel() {
        return realLabel;
    }

    /**
     * Weight of the auxiliary classification loss of a conditional GAN (see the class comment); 0 leaves a pure
     * projection discriminator. Unused by an unconditional GAN.
     */
    public double classLossWeight() {
        return classLossWeight;
    }

    /**
     * Whether a conditional GAN's head carries the twin classifier of the class comment (TAC-GAN); false = the
     * auxiliary classifier alone.
     */
    public boolean twinClassifier() {
        return twinClassifier;
    }

    /**
     * m, the number of examples the discriminator judges jointly (PacGAN, Lin et al. 2018); 1 = one at a time. With
     * m &gt; 1 each row i of a batch of n real (or n generated) examples is scored together with rows i + 1, …,
     * i + m − 1 (mod n): D's input is their concatenation, so the n scores of a batch use every example m times and
     * need no batch size divisible by m. D can then see that generated examples are too alike, which penalises mode
     * collapse. Unconditional GANs only.
     */
    public int pack() {
        return pack;
    }

    /**
     * K, the number of source codes of the generator; 0 = none. A source-coded generator G(z, k) gets the one-hot code
     * k after z, and its unconditional samples draw k with probability {@link #sourceWeights()}[k]. MD-GAN uses one
     * code per client (see {@link MdGanTrainer}): client k's discriminator only ever judges G(·, k), so each code
     * learns its client's distribution p_k and the weighted mixture of the codes is the union of the data.
     */
    public int numSources() {
        return sourceWeights.length;
    }

    /** The probabilities with which samples draw each source code, summing to 1 (a copy; empty without codes). */
    public double[] sourceWeights() {
        return sourceWeights.clone();
    }

    /** Layer widths of the generator including input (latent + classes + source codes) and output. */
    int[] generatorLayers() {
        return layers(latentDim + numClasses + numSources(), generatorHidden, dataDim);
    }

    /**
     * Layer widths of the discriminator including input (data × {@link #pack()}) and output (1 + classes, and
     * classes more with the twin classifier; see the class comment).
     */
    int[] discriminatorLayers() {
        return layers(dataDim * pack, discriminatorHidden, 1 + numClasses * (twinClassifier ? 2 : 1));
    }

    private static int[] layers(int in, int[] hidden, int out) {
        int[] s = new int[hidden.length + 2];
        s[0] = in;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[s.length - 1] = out;
        return s;
    }

    @Override
    public String toString() {
        return "GanConfig{data=" + dataDim + ", latent=" + latentDim + ", G=" + Arrays.toString(generatorHidden)
                + ", D=" + Arrays.toString(discriminatorHidden) + ", classes=" + numClasses + ", loss=" + loss
                + ", lambda=" + gradientPenaltyWeight + ", nCritic=" + criticSteps + ", slope=" + leakySlope
                + ", out=" + outputActivation + ", realLabel=" + realLabel + ", classLoss=" + classLossWeight
                + ", twin=" + twinClassifier + ", pack=" + pack
                + ", lr=" + learningRate + ", betas=(" + beta1 + ", " + beta2 + ")}";
    }

    /** Builder for {@link GanConfig}; every setter checks its argument. */
    public static final class Builder {
        private int dataDim = 784;
        private int latentDim = 64;
        private int[] generatorHidden = {256, 512};
        private int[] discriminatorHidden = {512, 256};
        private int numClasses = 0;
        private GanLoss loss = GanLoss.NON_SATURATING_BCE;
        private double gradientPenaltyWeight = 10;
        private int criticSteps = 1;
        private double leakySlope = 0.2;
        private OutputActivation outputActivation = OutputActivation.SIGMOID;
        private double learningRate = 2e-4;
        private double beta1 = 0.5;
        private double beta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private double realLabel = 1.0;
        private double classLossWeight = 2.0;
        private boolean twinClassifier;
        private int pack = 1;
        private double[] sourceWeights = new double[0];

        private Builder() {
        }

        /** Sets {@link GanConfig#dataDim()}. */
        public Builder dataDim(int v) {
            dataDim = positive("dataDim", v);
            return this;
        }

        /** Width of the generator's noise input z. */
        public Builder latentDim(int v) {
            latentDim = positive("latentDim", v);
            return this;
        }

        /** Hidden widths of G (at least one layer, each ≥ 1). */
        public Builder generatorHidden(int... v) {
            generatorHidden = widths("generatorHidden", v);
            return this;
        }

        /** Hidden widths of D (at least one layer, each ≥ 1). */
        public Builder discriminatorHidden(int... v) {
            discriminatorHidden = widths("discriminatorHidden", v);
            return this;
        }

        /**
         * 0 = unconditional, otherwise ≥ 2 classes: the one-hot label is appended to G's input and selects D's
         * projection output (see the class comment).
         */
        public Builder numClasses(int v) {
            if (v < 0 || v == 1) {
                throw new IllegalArgumentException("numClasses must be 0 (unconditional) or >= 2, got " + v);
            }
            numClasses = v;
            return this;
        }

        /** The adversarial loss. */
        public Builder loss(GanLoss v) {
            loss = Objects.requireNonNull(v, "loss");
            return this;
        }

        /** Sets {@link GanConfig#gradientPenaltyWeight()}. */
        public Builder gradientPenaltyWeight(double v) {
            gradientPenaltyWeight = finiteNonNegative("gradientPenaltyWeight", v);
            return this;
        }

        /** Sets {@link GanConfig#criticSteps()}. */
        public Builder criticSteps(int v) {
            criticSteps = positive("criticSteps", v);
            return this;
        }

        /** Slope of the leaky ReLUs for negative inputs. */
        public Builder leakySlope(double v) {
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException("leakySlope must be in [0, 1), got " + v);
            }
            leakySlope = v;
            return this;
        }

        /** The generator's output activation. */
        public Builder outputActivation(OutputActivation v) {
            outputActivation = Objects.requireNonNull(v, "outputActivation");
            return this;
        }

        /** Sets {@link GanConfig#learningRate()}. */
        public Builder learningRate(double v) {
            learningRate = finitePositive("learningRate", v);
            return this;
        }

        /** Sets Adam's β1 and β2 ({@link GanConfig#beta1()}, {@link GanConfig#beta2()}). */
        public Builder betas(double b1, double b2) {
            if (!(b1 >= 0 && b1 < 1)) {
                throw new IllegalArgumentException("beta1 must be in [0, 1), got " + b1);
            }
            if (!(b2 >= 0 && b2 < 1)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1), got " + b2);
            }
            beta1 = b1;
            beta2 = b2;
            return this;
        }

        /** Sets {@link GanConfig#adamEpsilon()}. */
        public Builder adamEpsilon(double v) {
            adamEpsilon = finitePositive("adamEpsilon", v);
            return this;
        }

        /** BCE target of real examples, in (0.5, 1] (see {@link GanConfig#realLabel()}). */
        public Builder realLabel(double v) {
            if (!(v > 0.5 && v <= 1)) {
                throw new IllegalArgumentException("realLabel must be in (0.5, 1], got " + v);
            }
            realLabel = v;
            return this;
        }

        /**
         * Weight of the auxiliary class loss of a conditional GAN, finite and ≥ 0 (default 2; the comparison with 1 is
         * in {@code docs/results.md}).
         */
        public Builder classLossWeight(double v) {
            classLossWeight = finiteNonNegative("classLossWeight", v);
            return this;
        }

        /** Sets {@link GanConfig#twinClassifier()} (default false; conditional GANs only, checked by build). */
        public Builder twinClassifier(boolean v) {
            twinClassifier = v;
            return this;
        }

        /** m of {@link GanConfig#pack()}, ≥ 1 (default 1; only 1 for a conditional GAN, checked by build). */
        public Builder pack(int v) {
            pack = positive("pack", v);
            return this;
        }

        /**
         * Source codes for the generator (see {@link GanConfig#numSources()}), one relative weight per code, each
         * finite and &gt; 0 (e.g. the clients' example counts); they are normalised to sum to 1. No weights (the
         * default) means no codes. Unconditional GANs only (checked by build).
         */
        public Builder sourceWeights(double... w) {
            if (w == null || w.length == 0) {
                sourceWeights = new double[0];
                return this;
            }
            double sum = 0;
            for (int k = 0; k < w.length; k++) {
                if (!(w[k] > 0) || !Double.isFinite(w[k])) {
                    throw new IllegalArgumentException("source weight " + k + " must be finite and > 0, got " + w[k]);
                }
                sum += w[k];
            }
            sourceWeights = new double[w.length];
            for (int k = 0; k < w.length; k++) {
                sourceWeights[k] = w[k] / sum;
            }
            return this;
        }

        /**
         * @throws IllegalArgumentException if {@code pack} &gt; 1 or source codes are set for a conditional GAN (its
         *                                  critic is per example and label, and its generator's one-hot is the label),
         *                                  or the twin classifier for an unconditional one
         */
        public GanConfig build() {
            if (twinClassifier && numClasses == 0) {
                throw new IllegalArgumentException("the twin classifier needs a conditional GAN, got 0 classes");
            }
            if (pack > 1 && numClasses > 0) {
                throw new IllegalArgumentException("pack " + pack + " needs an unconditional GAN, got " + numClasses
                        + " classes");
            }
            if (sourceWeights.length > 0 && numClasses > 0) {
                throw new IllegalArgumentException(sourceWeights.length + " source codes need an unconditional GAN, "
                        + "got " + numClasses + " classes");
            }
            return new GanConfig(this);
        }

        private static int[] widths(String name, int[] v) {
            if (v == null || v.length == 0) {
                throw new IllegalArgumentException(name + " needs at least one hidden layer, got "
                        + Arrays.toString(v));
            }
            for (int w : v) {
                if (w < 1) {
                    throw new IllegalArgumentException(name + " widths must be >= 1, got " + Arrays.toString(v));
                }
            }
            return v.clone();
        }
    }
}
