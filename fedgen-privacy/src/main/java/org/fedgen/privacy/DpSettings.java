package org.fedgen.privacy;

import static org.fedgen.core.util.Checks.require;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.fedgen.privacy.RdpAccountant.Conversion;

/**
 * The settings of a central-DP federated run, immutable: noise multiplier z, clip norm S, δ, how clients are sampled,
 * which parts are protected, adaptive clipping, a budget, and the post-processing server optimizer (FedAvgM,
 * FedAdam or FedYogi on the noisy mean). Given to
 * {@link PrivateFederation#of}. Every value is checked when {@link Builder#build()} is called.
 */
public final class DpSettings {
    private final double noiseMultiplier;
    private final double clipNorm;
    private final double delta;
    private final double samplingRate;
    private final double expectedClientsPerRound;
    private final int fixedClientsPerRound;
    private final boolean seededSampling;
    private final NoiseMode noiseMode;
    private final boolean adaptiveClipping;
    private final Double targetEpsilon;
    private final Conversion conversion;
    private final Set<String> protectedParts;
    private final double serverLearningRate;
    private final double serverMomentum;
    private final ServerOptimizer.Kind serverOptimizer;
    private final double serverBeta2;
    private final double serverTau;
    private final double serverLearningRateDecay;
    private final boolean discreteNoise;
    private final double secureSumRounding;

    private DpSettings(Builder b) {
        require(b.noiseMultiplier > 0 && Double.isFinite(b.noiseMultiplier), "noise multiplier z must be finite and"
                + " > 0 (z = 0 is no privacy), got " + b.noiseMultiplier);
        require(b.clipNorm > 0 && Double.isFinite(b.clipNorm), "clip norm S must be finite and > 0, got "
                + b.clipNorm);
        require(b.delta > 0 && b.delta < 1, "delta must be in (0, 1), got " + b.delta);
        int ways = (Double.isNaN(b.samplingRate) ? 0 : 1) + (Double.isNaN(b.expectedClientsPerRound) ? 0 : 1)
                + (b.fixedClientsPerRound > 0 ? 1 : 0);
        require(ways <= 1, "give one of sampling rate q, expected clients per round or a fixed number of clients,"
                + " not several");
        require(Double.isNaN(b.samplingRate) || (b.samplingRate > 0 && b.samplingRate <= 1),
                "sampling rate q must be in (0, 1], got " + b.samplingRate);
        require(Double.isNaN(b.expectedClientsPerRound)
                || (b.expectedClientsPerRound > 0 && Double.isFinite(b.expectedClientsPerRound)),
                "expected clients per round must be finite and > 0, got " + b.expectedClientsPerRound);
        require(b.fixedClientsPerRound >= 0, "fixed clients per round must be >= 0, got " + b.fixedClientsPerRound);
        require(b.targetEpsilon == null || (b.targetEpsilon > 0 && Double.isFinite(b.targetEpsilon)),
                "target epsilon must be finite and > 0, got " + b.targetEpsilon);
        require(b.serverLearningRate > 0 && Double.isFinite(b.serverLearningRate),
                "server learning rate must be finite and > 0, got " + b.serverLearningRate);
        require(b.serverMomentum >= 0 && b.serverMomentum < 1, "server momentum must be in [0, 1), got "
                + b.serverMomentum);
        require(b.serverBeta2 >= 0 && b.serverBeta2 < 1, "server beta2 must be in [0, 1), got " + b.serverBeta2);
        require(b.serverTau > 0 && Double.isFinite(b.serverTau), "server tau must be finite and > 0, got "
                + b.serverTau);
        require(b.serverLearningRateDecay > 0 && b.serverLearningRateDecay <= 1, "server learning-rate decay must be"
                + " in (0, 1], got " + b.serverLearningRateDecay);
        this.noiseMultiplier = b.noiseMultiplier;
        this.clipNorm = b.clipNorm;
        this.delta = b.delta;
        this.samplingRate = b.samplingRate;
        this.expectedClientsPerRound = b.expectedClientsPerRound;
        this.fixedClientsPerRound = b.fixedClientsPerRound;
        this.seededSampling = b.seededSampling;
        this.noiseMode = b.noiseMode;
        this.adaptiveClipping = b.adaptiveClipping;
        this.targetEpsilon = b.targetEpsilon;
        this.conversion = b.conversion;
        this.protectedParts = Set.copyOf(b.protectedParts);
        this.serverLearningRate = b.serverLearningRate;
        this.serverMomentum = b.serverMomentum;
        this.serverOptimizer = b.serverOptimizer;
        this.serverBeta2 = b.serverBeta2;
        this.serverTau = b.serverTau;
        this.serverLearningRateDecay = b.serverLearningRateDecay;
        this.discreteNoise = b.discreteNoise;
        require(!(discreteNoise && adaptiveClipping), "discrete Gaussian noise needs a fixed clip norm, not adaptive"
                + " clipping");
        this.secureSumRounding = b.secureSumRounding;
        require(Double.isNaN(secureSumRounding) || !adaptiveClipping, "secure aggregation with DP needs a fixed"
                + " clip norm (the clients clip before masking), not adaptive clipping");
    }

    /**
     * NaN, or the per-coordinate rounding bound of secure aggregation's quantiser when DP-FedAvg receives its unmasked
     * sum ({@link DpFedAvg.Builder#secureSum}).
     */
    public double secureSumRounding() {
        return secureSumRounding;
    }

    /** Whether DP-FedAvg quantizes and adds exact discrete Gaussian noise ({@link DpFedAvg.Builder#discreteNoise}). */
    public boolean discreteNoise() {
        return discreteNoise;
    }

    /** A builder: z and S are required; δ = 1e-5, every client every round (q = 1), secure noise and sampling. */
    public static Builder builder() {
        return new Builder();
    }

    /** z: the noise std on the sum of clipped deltas is z·S. */
    public double noiseMultiplier() {
        return noiseMultiplier;
    }

    /** S, the L2 clip norm of each client's delta (the initial one if adaptive). */
    public double clipNorm() {
        return clipNorm;
    }

    /** δ of the reported (ε, δ). */
    public double delta() {
        return delta;
    }

    /** q, or NaN when set through expected clients per round or a fixed count. */
    public double samplingRate() {
        return samplingRate;
    }

    /** m = qW, or NaN when not set this way. */
    public double expectedClientsPerRound() {
        return expectedClientsPerRound;
    }

    /** k for fixed-size sampling (accounted as Poisson with q = k/W, not a guarantee), or 0. */
    public int fixedClientsPerRound() {
        return fixedClientsPerRound;
    }

    /** Whether the Poisson sample is drawn from the run seed (reproducible; ε is then not a guarantee). */
    public boolean seededSampling() {
        return seededSampling;
    }

    /** Where the noise comes from: a secure source (the default) or the run seed. */
    public NoiseMode noiseMode() {
        return noiseMode;
    }

    /** Whether S adapts to a quantile of the clients' update norms (Andrew et al. 2021). */
    public boolean adaptiveClipping() {
        return adaptiveClipping;
    }

    /** The budget ε, or null for none. */
    public Double targetEpsilon() {
        return targetEpsilon;
    }

    /** How Rényi DP is converted to (ε, δ). */
    public Conversion conversion() {
        return conversion;
    }

    /** The parts DP-FedAvg protects; empty = every part clients send. */
    public Set<String> protectedParts() {
        return protectedParts;
    }

    /** The server learning rate applied to the noisy average (post-processing). */
    public double serverLearningRate() {
        return serverLearningRate;
    }

    /**
     * The server momentum on the noisy average (post-processing): FedAvgM's β, or FedAdam's / FedYogi's first-moment
     * decay β₁; 0 = none.
     */
    public double serverMomentum() {
        return serverMomentum;
    }

    /**
     * The server optimizer on the noisy average (post-processing): {@link ServerOptimizer.Kind#AVGM} by default, which
     * with learning rate 1 and momentum 0 is no server step at all.
     */
    public ServerOptimizer.Kind serverOptimizer() {
        return serverOptimizer;
    }

    /** FedAdam's / FedYogi's second-moment decay β₂ (unused by FedAvgM). */
    public double serverBeta2() {
        return serverBeta2;
    }

    /** FedAdam's / FedYogi's adaptivity τ (unused by FedAvgM). */
    public double serverTau() {
        return serverTau;
    }

    /**
     * γ of the server optimizer's learning-rate decay: round t steps with η γ^(t−1) (see
     * {@link ServerOptimizer#withLearningRateDecay}); 1 = constant. Post-processing like the step itself.
     */
    public double serverLearningRateDecay() {
        return serverLearningRateDecay;
    }

    /** Builder for {@link DpSettings}. */
    public static final class Builder {
        private double noiseMultiplier = Double.NaN;
        private double clipNorm = Double.NaN;
        private double delta = 1e-5;
        private double samplingRate = Double.NaN;
        private double expectedClientsPerRound = Double.NaN;
        private int fixedClientsPerRound;
        private boolean seededSampling;
        private NoiseMode noiseMode = NoiseMode.SECURE;
        private boolean adaptiveClipping;
        private Double targetEpsilon;
        private Conversion conversion = Conversion.TIGHT;
        private Set<String> protectedParts = Set.of();
        private double serverLearningRate = 1.0;
        private double serverMomentum = 0.0;
        private ServerOptimizer.Kind serverOptimizer = ServerOptimizer.Kind.AVGM;
        private double serverBeta2 = 0.99;
        private double serverTau = 1e-3;
        private double serverLearningRateDecay = 1.0;
        private boolean discreteNoise;
        private double secureSumRounding = Double.NaN;

        private Builder() {
        }

        /**
         * DP-FedAvg receives the unmasked sum of secure aggregation, whose quantiser moves each coordinate by at most
         * {@code rounding} ({@link DpFedAvg.Builder#secureSum}); the clients clip to the clip norm before masking.
         */
        public Builder secureSum(double rounding) {
            secureSumRounding = rounding;
            return this;
        }

        /** Floating-point-safe noise: quantized deltas and exact discrete Gaussian noise. */
        public Builder discreteNoise(boolean discrete) {
            discreteNoise = discrete;
            return this;
        }

        /** z: the noise std on the sum of clipped deltas is zS. */
        public Builder noiseMultiplier(double z) {
            noiseMultiplier = z;
            return this;
        }

        /** S, the L2 clip norm of each client's delta over the protected parts (the initial one if adaptive). */
        public Builder clipNorm(double s) {
            clipNorm = s;
            return this;
        }

        /** δ of the reported (ε, δ) (default 1e-5); should be below 1/W. */
        public Builder delta(double d) {
            delta = d;
            return this;
        }

        /** Poisson sampling: each client joins a round independently with probability q. */
        public Builder samplingRate(double q) {
            samplingRate = q;
            return this;
        }

        /** Poisson sampling with q = m / W. */
        public Builder expectedClientsPerRound(double m) {
            expectedClientsPerRound = m;
            return this;
        }

        /**
         * k clients drawn without replacement each round. The accountant's Poisson analysis does not cover it: ε is
         * computed with q = k/W and published as not a guarantee.
         */
        public Builder fixedClientsPerRound(int k) {
            fixedClientsPerRound = k;
            return this;
        }

        /** Draw the Poisson sample from the run seed (reproducible; ε is then not a guarantee). */
        public Builder seededSampling(boolean seeded) {
            seededSampling = seeded;
            return this;
        }

        /** {@link NoiseMode#SEEDED} makes ε not a guarantee. */
        public Builder noiseMode(NoiseMode mode) {
            noiseMode = mode == null ? NoiseMode.SECURE : mode;
            return this;
        }

        /** Adaptive clip norm with the paper's defaults, starting from the clip norm. */
        public Builder adaptiveClipping(boolean adaptive) {
            adaptiveClipping = adaptive;
            return this;
        }

        /** Stop before the round that would take ε above this; null for no budget. */
        public Builder targetEpsilon(Double e) {
            targetEpsilon = e;
            return this;
        }

        /** How Rényi DP is converted to (ε, δ); null = tight (the default). */
        public Builder conversion(Conversion c) {
            conversion = c == null ? Conversion.TIGHT : c;
            return this;
        }

        /** The parts to protect; others stay on the clients. Empty (default) protects every part clients send. */
        public Builder protectedParts(Set<String> parts) {
            protectedParts = new LinkedHashSet<>(parts);
            return this;
        }

        /** FedAvgM on the noisy average (post-processing): learning rate and momentum. */
        public Builder serverOptimizer(double learningRate, double momentum) {
            serverOptimizer = ServerOptimizer.Kind.AVGM;
            serverLearningRate = learningRate;
            serverMomentum = momentum;
            return this;
        }

        /**
         * A server optimizer on the noisy average (post-processing, so it costs no privacy): {@code kind} with
         * learning rate η, first-moment decay (FedAvgM's momentum) β₁, and for FedAdam / FedYogi the second-moment
         * decay β₂ and adaptivity τ (see {@link ServerOptimizer}). Its moments are part of the run's checkpoint.
         */
        public Builder serverOptimizer(ServerOptimizer.Kind kind, double learningRate, double beta1, double beta2,
                double tau) {
            serverOptimizer = Objects.requireNonNull(kind, "kind");
            serverLearningRate = learningRate;
            serverMomentum = beta1;
            serverBeta2 = beta2;
            serverTau = tau;
            return this;
        }

        /** γ of {@link DpSettings#serverLearningRateDecay()}, in (0, 1] (default 1, a constant rate). */
        public Builder serverLearningRateDecay(double gamma) {
            serverLearningRateDecay = gamma;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public DpSettings build() {
            return new DpSettings(this);
        }
    }
}
