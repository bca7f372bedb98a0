package org.fedgen.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fedgen.core.Client;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.privacy.RdpAccountant.Conversion;
import org.fedgen.privacy.RdpAccountant.PrivacySpent;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Local differential privacy: wraps any client and privatises its update before it leaves. The delta over every part
 * it sends (except parts the user explicitly lets out unprotected), flattened together, is clipped to L2 norm S and
 * N(0, (zS)²) is added to every coordinate, so the server (or anyone on the wire) sees only a noised delta, sent as a
 * {@link PayloadKind#DELTA} payload.
 *
 * <p>Guarantee, stated per client: any two updates this client could send lie in the ball of radius S, so the
 * release is a Gaussian mechanism of sensitivity 2S and noise std zS, i.e. noise multiplier z/2 with respect to its
 * sensitivity; each round it takes part in is composed in Rényi DP ({@link #spent()}, and the update's metrics
 * {@code ldp_epsilon}, {@code ldp_round_epsilon}, {@code ldp_delta}). This covers the protected parts only. The noise
 * is drawn from {@link GaussianNoise#secure()}, never from a seed the server sends (the server is the adversary
 * here). The inner client's own metrics (its loss, ...) are computed from its data without noise and are therefore
 * not sent unless {@link Builder#sendInnerMetrics} says so. The update's example count n_k is sent as the inner
 * client reports it.
 *
 * <p>Each client pays for its own noise, so for the same z the averaged update is about √(clients) times noisier than
 * with central DP-FedAvg.
 */
public final class LocalDpClient implements Client {
    private final Client inner;
    private final double clipNorm;
    private final double noiseMultiplier;
    private final double delta;
    private final Set<String> unprotectedParts;
    private final boolean sendInnerMetrics;
    private final Long testNoiseSeed;
    private final RdpAccountant accountant = new RdpAccountant();
    private final PrivacySpent perRound;

    private LocalDpClient(Builder b) {
        this.inner = Objects.requireNonNull(b.inner, "inner client");
        if (!(b.clipNorm > 0) || Double.isInfinite(b.clipNorm)) {
            throw new IllegalArgumentException("clip norm S must be finite and > 0, got " + b.clipNorm);
        }
        if (!(b.noiseMultiplier > 0) || Double.isInfinite(b.noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier z must be finite and > 0 (z = 0 is no privacy), got "
                    + b.noiseMultiplier);
        }
        if (!(b.delta > 0 && b.delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + b.delta);
        }
        this.clipNorm = b.clipNorm;
        this.noiseMultiplier = b.noiseMultiplier;
        this.delta = b.delta;
        this.unprotectedParts = Set.copyOf(b.unprotectedParts);
        this.sendInnerMetrics = b.sendInnerMetrics;
        this.testNoiseSeed = b.testNoiseSeed;
        this.perRound = new RdpAccountant().step(1.0, sensitivityNoiseMultiplier()).epsilon(delta, Conversion.TIGHT);
    }

    /** A builder around the client that trains; S and z are required, δ defaults to 1e-5. */
    public static Builder builder(Client inner) {
        return new Builder(inner);
    }

    /** z/2: the noise std zS over the sensitivity 2S, the multiplier the Gaussian RDP is computed with. */
    public double sensitivityNoiseMultiplier() {
        return noiseMultiplier / 2;
    }

    /** (ε, δ) of one round: the Gaussian mechanism with sensitivity 2S and std zS. */
    public PrivacySpent roundGuarantee() {
        return perRound;
    }

    /** (ε, δ) over the rounds this client has sent an update in, composed in RDP. */
    public synchronized PrivacySpent spent() {
        return accountant.epsilon(delta, Conversion.TIGHT);
    }

    /** Rounds this client has released an update in. */
    public synchronized long rounds() {
        return accountant.rounds();
    }

    @Override
    public int id() {
        return inner.id();
    }

    @Override
    public long numExamples() {
        return inner.numExamples();
    }

    @Override
    public ClientUpdate fit(ModelState global, FitInstructions instructions) {
        ClientUpdate u = inner.fit(global, instructions);
        if (u.kind() == PayloadKind.GRADIENT) {
            throw new IllegalArgumentException("local DP privatises model deltas, but client " + u.clientId()
                    + " produced a GRADIENT payload");
        }
        for (String p : unprotectedParts) {
            u.part(p);
        }
        Map<String, INDArray> deltas = new LinkedHashMap<>();
        List<INDArray> toProtect = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : u.parts().entrySet()) {
            INDArray d = u.kind() == PayloadKind.WEIGHTS
                    ? e.getValue().sub(global.part(e.getKey())) : e.getValue().dup();
            deltas.put(e.getKey(), d);
            if (!unprotectedParts.contains(e.getKey())) {
                toProtect.add(d);
            }
        }
        if (toProtect.isEmpty()) {
            throw new IllegalArgumentException("client " + u.clientId() + " sent no part to protect (sent "
                    + u.parts().keySet() + ", unprotected " + unprotectedParts + ")");
        }
        L2Clip.clipInPlace(toProtect, clipNorm);
        GaussianNoise noise = testNoiseSeed == null ? GaussianNoise.secure() : GaussianNoise.seeded(testNoiseSeed);
        for (INDArray d : toProtect) {
            noise.addTo(d, noiseMultiplier * clipNorm);
        }
        PrivacySpent total;
        synchronized (this) {
            accountant.step(1.0, sensitivityNoiseMultiplier());
            total = spent();
        }
        Map<String, Double> metrics = new LinkedHashMap<>(sendInnerMetrics ? u.metrics() : Map.of());
        String suffix = testNoiseSeed == null ? "" : "_not_a_guarantee";
        metrics.put("ldp_epsilon" + suffix, total.epsilon());
        metrics.put("ldp_round_epsilon" + suffix, perRound.epsilon());
        metrics.put("ldp_delta", delta);
        return new ClientUpdate(u.clientId(), u.round(), u.numExamples(), PayloadKind.DELTA, deltas, metrics);
    }

    /** Releases nothing: an evaluation on the client's data would leave the client without noise. */
    @Override
    public Map<String, Double> evaluate(ModelState global, EvalInstructions instructions) {
        return Map.of();
    }

    /** Builder for {@link LocalDpClient}. */
    public static final class Builder {
        private final Client inner;
        private double clipNorm = Double.NaN;
        private double noiseMultiplier = Double.NaN;
        private double delta = 1e-5;
        private Set<String> unprotectedParts = Set.of();
        private boolean sendInnerMetrics;
        private Long testNoiseSeed;

        private Builder(Client inner) {
            this.inner = inner;
        }

        /** S. */
        public Builder clipNorm(double s) {
            clipNorm = s;
            return this;
        }

        /** z: the noise std per coordinate is zS. */
        public Builder noiseMultiplier(double z) {
            noiseMultiplier = z;
            return this;
        }

        /** δ of the reported (ε, δ). */
        public Builder delta(double d) {
            delta = d;
            return this;
        }

        /** Parts sent as plain deltas, outside the guarantee (empty by default: every sent part is protected). */
        public Builder sendUnprotected(Set<String> parts) {
            unprotectedParts = Set.copyOf(parts);
            return this;
        }

        /** Also send the inner client's metrics (computed from its data without noise, outside the guarantee). */
        public Builder sendInnerMetrics(boolean send) {
            sendInnerMetrics = send;
            return this;
        }

        /**
         * Reproducible noise from a seed the client holds, for tests; ε is then reported as
         * {@code ldp_epsilon_not_a_guarantee}.
         */
        public Builder seededNoiseForTesting(long seed) {
            testNoiseSeed = seed;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public LocalDpClient build() {
            return new LocalDpClient(this);
        }
    }
}
