package org.fedgen.runs;

import java.util.List;
import java.util.Objects;
import org.fedgen.privacy.RdpAccountant.Conversion;

/**
 * Central DP-FedAvg with Rényi-DP accounting for a run, as plain data; a run with a DP configuration is private. The run
 * maps it to the privacy library's {@link org.fedgen.privacy.DpSettings}, which {@link
 * org.fedgen.privacy.PrivateFederation} applies. Build with
 * {@link #builder(double, Double)}. The values are checked, naming the bad one, when the run is built ({@code DpRun}),
 * where the population and the model's parts are known.
 *
 * @param noise                  noise multiplier z: the noise std on the sum of clipped deltas is z·S
 * @param clip                   L2 clip norm S of each client's delta over the protected parts (the initial one
 *                               with adaptive clipping)
 * @param delta                  δ of the reported (ε, δ); should be below 1/clients
 * @param targetEpsilon          privacy budget: the run stops before the round that would take ε above it; null = none
 * @param parts                  parts DP-FedAvg protects: {@code ["all"]} or a list; other parts stay on the clients
 * @param q                      Poisson sampling rate; null = from {@code clientsPerRound}, or 1
 * @param clientsPerRound        expected clients per round qW; null = from {@code q}
 * @param allowFixedSizeSampling allow fixed-size sampling (ε is then an approximation, not a proven bound)
 * @param adaptiveClip           adaptive clip norm (Andrew et al. 2021) starting from {@code clip}
 * @param conversion             RDP to (ε, δ) conversion
 * @param serverLearningRate     server learning rate on the noisy average (post-processing)
 * @param serverMomentum         server momentum on the noisy average (post-processing); 0 = none
 * @param seededNoise            derive the noise from the run seed (reproducible; protects nobody who knows it)
 * @param seededSampling         draw the Poisson sample from the run seed (reproducible; ε is then not a guarantee)
 * @param discreteNoise          quantise clipped deltas and add discrete Gaussian noise (floating-point safe)
 * @param unit                   what is protected: a client (DP-FedAvg, the default) or a record (DP-SGD in local
 *                               training; noise, clip, delta and targetEpsilon then apply to DP-SGD)
 * @param fixedSizeBatches       record-level DP with fixed-size batches instead of Poisson ones; needs
 *                               {@code allowFixedSizeSampling}, and ε is then labelled not a guarantee
 * @param recordNoise            with unit {@link DpUnit#both}: σ of the clients' DP-SGD ({@code noise} is then
 *                               DP-FedAvg's z); null otherwise
 * @param recordClip             with unit both: the per-example clip norm C of DP-SGD ({@code clip} is DP-FedAvg's S)
 * @param recordTargetEpsilon    with unit both: budget on the maximum client record-level ε ({@code targetEpsilon}
 *                               is the client-level budget); null = none
 */
public record DpConfig(double noise, Double clip, double delta, Double targetEpsilon, List<String> parts, Double q,
        Double clientsPerRound, boolean allowFixedSizeSampling, boolean adaptiveClip, Conversion conversion,
        double serverLearningRate, double serverMomentum, boolean seededNoise, boolean seededSampling,
        boolean discreteNoise, DpUnit unit, boolean fixedSizeBatches, Double recordNoise, Double recordClip,
        Double recordTargetEpsilon) {

    /** Copies {@code parts}; a null unit is {@link DpUnit#client}. */
    public DpConfig {
        parts = List.copyOf(parts);
        Objects.requireNonNull(conversion, "conversion");
        unit = unit == null ? DpUnit.client : unit;
    }

    /** Whether this configuration asks for record-level DP-SGD in local training (unit record or both). */
    public boolean recordLevel() {
        return unit != DpUnit.client;
    }

    /** Whether this configuration asks for client-level DP-FedAvg on the server (unit client or both). */
    public boolean clientLevel() {
        return unit != DpUnit.record;
    }

    /**
     * The record-level DP-SGD part as a unit-record configuration: this one for unit record; for unit both, σ, C and
     * the budget from {@code recordNoise}, {@code recordClip} and {@code recordTargetEpsilon}, with the shared δ,
     * conversion, seeded flags and batch settings, and no client-level option.
     *
     * @throws IllegalStateException for unit client
     */
    public DpConfig recordPart() {
        if (unit == DpUnit.client) {
            throw new IllegalStateException("a client-level DP configuration has no record-level part");
        }
        if (unit == DpUnit.record) {
            return this;
        }
        return builder(recordNoise == null ? Double.NaN : recordNoise, recordClip).delta(delta)
                .targetEpsilon(recordTargetEpsilon).conversion(conversion).seededNoise(seededNoise)
                .seededSampling(seededSampling).allowFixedSizeSampling(allowFixedSizeSampling)
                .fixedSizeBatches(fixedSizeBatches).unit(DpUnit.record).build();
    }

    /** A builder with noise multiplier z and clip norm S; the other values default. */
    public static Builder builder(double noise, Double clip) {
        return new Builder(noise, clip);
    }

    /** Whether every part clients send is protected. */
    public boolean allParts() {
        return parts.size() == 1 && parts.get(0).equals("all");
    }

    /** Builds {@link DpConfig}. */
    public static final class Builder {
        private final double noise;
        private Double clip;
        private double delta = 1e-5;
        private Double targetEpsilon;
        private List<String> parts = List.of("all");
        private Double q;
        private Double clientsPerRound;
        private boolean allowFixedSizeSampling;
        private boolean adaptiveClip;
        private Conversion conversion = Conversion.TIGHT;
        private double serverLearningRate = 1.0;
        private double serverMomentum = 0.0;
        private boolean seededNoise;
        private boolean seededSampling;
        private boolean discreteNoise;
        private DpUnit unit = DpUnit.client;
        private boolean fixedSizeBatches;
        private Double recordNoise;
        private Double recordClip;
        private Double recordTargetEpsilon;

        private Builder(double noise, Double clip) {
            this.noise = noise;
            this.clip = clip;
        }

        /** Null leaves the clip norm unset, which the run refuses (the CLI's missing --dp-clip). */
        public Builder clip(Double v) {
            clip = v;
            return this;
        }

        /** Sets {@code delta}: δ of the reported (ε, δ); should be below 1/clients. */
        public Builder delta(double v) {
            delta = v;
            return this;
        }

        /**
         * Sets {@code targetEpsilon}: privacy budget: the run stops before the round that would take ε above it; null =
         * none.
         */
        public Builder targetEpsilon(Double v) {
            targetEpsilon = v;
            return this;
        }

        /** Sets {@code parts}: parts DP-FedAvg protects: {@code ["all"]} or a list; other parts stay on the clients. */
        public Builder parts(List<String> v) {
            parts = List.copyOf(v);
            return this;
        }

        /** Sets {@code q}: Poisson sampling rate; null = from {@code clientsPerRound}, or 1. */
        public Builder q(Double v) {
            q = v;
            return this;
        }

        /** Sets {@code clientsPerRound}: expected clients per round qW; null = from {@code q}. */
        public Builder clientsPerRound(Double v) {
            clientsPerRound = v;
            return this;
        }

        /**
         * Sets {@code allowFixedSizeSampling}: allow fixed-size sampling (ε is then an approximation, not a proven
         * bound).
         */
        public Builder allowFixedSizeSampling(boolean v) {
            allowFixedSizeSampling = v;
            return this;
        }

        /** Sets {@code adaptiveClip}: adaptive clip norm (Andrew et al. 2021) starting from {@code clip}. */
        public Builder adaptiveClip(boolean v) {
            adaptiveClip = v;
            return this;
        }

        /** Sets {@code conversion}: RDP to (ε, δ) conversion. */
        public Builder conversion(Conversion v) {
            conversion = Objects.requireNonNull(v, "conversion");
            return this;
        }

        /** Sets {@code serverLearningRate}: server learning rate on the noisy average (post-processing). */
        public Builder serverLearningRate(double v) {
            serverLearningRate = v;
            return this;
        }

        /** Sets {@code serverMomentum}: server momentum on the noisy average (post-processing); 0 = none. */
        public Builder serverMomentum(double v) {
            serverMomentum = v;
            return this;
        }

        /**
         * Sets {@code seededNoise}: derive the noise from the run seed (reproducible; protects nobody who knows it).
         */
        public Builder seededNoise(boolean v) {
            seededNoise = v;
            return this;
        }

        /**
         * Sets {@code seededSampling}: draw the Poisson sample from the run seed (reproducible; ε is then not a
         * guarantee).
         */
        public Builder seededSampling(boolean v) {
            seededSampling = v;
            return this;
        }

        /**
         * Sets {@code discreteNoise}: quantise clipped deltas and add discrete Gaussian noise (floating-point safe).
         */
        public Builder discreteNoise(boolean v) {
            discreteNoise = v;
            return this;
        }

        /** Sets {@code unit}: what is protected, a client (default) or a record. */
        public Builder unit(DpUnit v) {
            unit = Objects.requireNonNull(v, "unit");
            return this;
        }

        /**
         * Sets {@code fixedSizeBatches}: record-level DP-SGD with fixed-size batches (needs
         * {@code allowFixedSizeSampling}; ε is then not a guarantee).
         */
        public Builder fixedSizeBatches(boolean v) {
            fixedSizeBatches = v;
            return this;
        }

        /** Sets {@code recordNoise}: with unit both, σ of the clients' DP-SGD. */
        public Builder recordNoise(Double v) {
            recordNoise = v;
            return this;
        }

        /** Sets {@code recordClip}: with unit both, the per-example clip norm C of DP-SGD. */
        public Builder recordClip(Double v) {
            recordClip = v;
            return this;
        }

        /** Sets {@code recordTargetEpsilon}: with unit both, the budget on the maximum client record-level ε. */
        public Builder recordTargetEpsilon(Double v) {
            recordTargetEpsilon = v;
            return this;
        }

        /** The configuration, after the record's checks of every value. */
        public DpConfig build() {
            return new DpConfig(noise, clip, delta, targetEpsilon, parts, q, clientsPerRound,
                    allowFixedSizeSampling, adaptiveClip, conversion, serverLearningRate, serverMomentum, seededNoise,
                    seededSampling, discreteNoise, unit, fixedSizeBatches, recordNoise, recordClip,
                    recordTargetEpsilon);
        }
    }
}
