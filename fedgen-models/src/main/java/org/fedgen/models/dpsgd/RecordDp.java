package org.fedgen.models.dpsgd;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.random.RandomGenerator;
import org.fedgen.core.DriftCorrection;
import org.fedgen.core.util.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Record-level DP-SGD settings for local training (Abadi et al. 2016): each step's batch is drawn by Poisson sampling
 * with rate q = B / n from the client's records, each example's gradient over the protected parameters is clipped to
 * L2 norm C, N(0, (σC)²) is added to the sum of the clipped gradients, and the sum is divided by the expected batch
 * size B. Attach it to a model ({@code Vae.privately}, {@code Gan.privately}, {@code Ddpm.privately}).
 *
 * <p>Batch sampling is secure ({@link SecureRandom}) unless {@link Builder#seededSampling} asks for sampling derived
 * from the fit seed (reproducible, and then the accountant's ε is not a guarantee). The noise source is given by the
 * caller per fit: fedgen-privacy's secure AES-CTR Gaussian in a real run.
 */
public final class RecordDp {
    private final double noiseMultiplier;
    private final double clip;
    private final Batching batching;
    private final boolean seededSampling;
    private final LongFunction<GradientNoise> noise;

    private RecordDp(Builder b) {
        this.noiseMultiplier = b.noiseMultiplier;
        this.clip = b.clip;
        this.batching = b.batching;
        this.seededSampling = b.seededSampling;
        this.noise = Objects.requireNonNull(b.noise, "noise source (RecordDp.Builder.noise)");
    }

    /**
     * @param noiseMultiplier σ ≥ 0 (0 only for tests: no privacy)
     * @param clip            C &gt; 0
     */
    public static Builder builder(double noiseMultiplier, double clip) {
        return new Builder(noiseMultiplier, clip);
    }

    /**
     * Refuses a fit that would apply SCAFFOLD's {@code correction} under record-level DP-SGD {@code dp} (either may
     * be null: then there is nothing to refuse): the clients' controls are means of unclipped, un-noised gradients.
     *
     * @throws IllegalArgumentException if both are given
     */
    public static void refuseDriftCorrection(RecordDp dp, DriftCorrection correction) {
        if (correction != null && dp != null) {
            throw new IllegalArgumentException("SCAFFOLD's correction cannot be combined with record-level DP-SGD:"
                    + " the clients' controls are means of unclipped, un-noised gradients");
        }
    }

    /** σ: the noise std on the clipped sum is σ·C. */
    public double noiseMultiplier() {
        return noiseMultiplier;
    }

    /** C, the per-example clip norm. */
    public double clip() {
        return clip;
    }

    /** How batches are drawn. */
    public Batching batching() {
        return batching;
    }

    /** Whether batch sampling derives from the fit seed. */
    public boolean seededSampling() {
        return seededSampling;
    }

    /** The batch sampler of one fit over n records. */
    public PoissonBatches batches(int n, DpSgdPlan plan, long fitSeed) {
        RandomGenerator rng = seededSampling ? new SplittableRandom(Seeds.derive(fitSeed, "dp-sgd/batches"))
                : new SecureRandom();
        return batching == Batching.POISSON ? PoissonBatches.poisson(n, plan.q(), rng)
                : PoissonBatches.fixedSize(n, plan.expectedBatch(), rng);
    }

    /** The noise source of one fit. */
    public GradientNoise noise(long fitSeed) {
        return noise.apply(fitSeed);
    }

    /**
     * Turns clipped per-example gradient sums into the DP-SGD gradient in place: adds N(0, (σC)²) to every coordinate,
     * then divides by the expected batch size.
     */
    public void privatize(GradientNoise source, int expectedBatch, INDArray... sums) {
        for (INDArray s : sums) {
            if (noiseMultiplier > 0) {
                source.addTo(s, noiseMultiplier * clip);
            }
            s.divi(expectedBatch);
        }
    }

    @Override
    public String toString() {
        return "DP-SGD(sigma=" + noiseMultiplier + ", C=" + clip + ", " + batching
                + (seededSampling ? ", seeded sampling" : "") + ")";
    }

    /** Builds {@link RecordDp}. */
    public static final class Builder {
        private final double noiseMultiplier;
        private final double clip;
        private Batching batching = Batching.POISSON;
        private boolean seededSampling;
        private LongFunction<GradientNoise> noise;

        private Builder(double noiseMultiplier, double clip) {
            if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
                throw new IllegalArgumentException("DP-SGD noise multiplier must be finite and >= 0, got "
                        + noiseMultiplier);
            }
            if (!(clip > 0) || Double.isInfinite(clip)) {
                throw new IllegalArgumentException("DP-SGD clip norm must be finite and > 0, got " + clip);
            }
            this.noiseMultiplier = noiseMultiplier;
            this.clip = clip;
        }

        /** Poisson (default) or fixed-size batches. */
        public Builder batching(Batching v) {
            batching = Objects.requireNonNull(v, "batching");
            return this;
        }

        /** Derive batch sampling from the fit seed (reproducible; ε is then not a guarantee). Default: secure. */
        public Builder seededSampling(boolean v) {
            seededSampling = v;
            return this;
        }

        /** The noise source per fit, given the fit seed (a secure source ignores it). Required. */
        public Builder noise(LongFunction<GradientNoise> v) {
            noise = Objects.requireNonNull(v, "noise");
            return this;
        }

        /** The settings. */
        public RecordDp build() {
            return new RecordDp(this);
        }
    }
}
