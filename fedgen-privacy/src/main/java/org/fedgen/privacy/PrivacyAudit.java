package org.fedgen.privacy;

import static org.fedgen.core.util.Checks.require;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Empirical privacy audit of one DP-FedAvg round (Jagielski, Ullman, Oprea 2020; Nasr et al. 2021): a canary client
 * sends a crafted delta (a large step along the first coordinate, clipped to S·e₁); the aggregator runs T times on the
 * W clients with the canary (D) and T times on the W − 1 without it (D'); a threshold on the output's projection on
 * e₁ (times the fixed denominator qW) guesses whether the canary took part. The threshold is chosen on a first set of
 * T + T runs and its error rates are measured on fresh ones, so the choice does not bias them. With Clopper–Pearson
 * upper bounds FPR̄, FNR̄ at confidence 1 − β,
 * <pre>
 *   ε_lower = max( log((1 − δ − FNR̄)/FPR̄), log((1 − δ − FPR̄)/FNR̄) ),
 * </pre>
 * which holds with probability ≥ 1 − β for any mechanism that is (ε, δ)-DP, so a lower bound above the accountant's ε
 * shows a bug (in the mechanism or in the accounting). {@link Config#noiseScale} below 1 builds such a bug on purpose:
 * the noise actually added is scaled while the accountant is told the configured z.
 *
 * <p>The round is the q = 1 case (every client takes part, the canary's presence is the only difference): the
 * accountant's ε for one round at z is the reference.
 */
public final class PrivacyAudit {
    private static final double INVERSE_ACCURACY = 1e-15;

    private PrivacyAudit() {
    }

    /**
     * @param trials          T, runs per arm per phase (≥ 100)
     * @param noiseMultiplier z the accountant is told
     * @param noiseScale      factor on the noise actually added (1 = the real mechanism)
     * @param clients         W with the canary (≥ 2)
     * @param dimension       coordinates of the model (≥ 1)
     * @param delta           δ in (0, 1)
     * @param confidence      1 − β of the Clopper–Pearson bounds, in (0, 1)
     * @param seed            seed of the other clients' deltas (the noise is secure)
     */
    public record Config(int trials, double noiseMultiplier, double noiseScale, int clients, int dimension,
            double delta, double confidence, long seed) {
        public Config {
            require(trials >= 100, "trials must be >= 100, got " + trials);
            require(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier),
                    "noise multiplier z must be finite and > 0, got " + noiseMultiplier);
            require(noiseScale > 0 && Double.isFinite(noiseScale), "noise scale must be finite and > 0, got "
                    + noiseScale);
            require(clients >= 2, "clients must be >= 2 (the canary and at least one other), got " + clients);
            require(dimension >= 1, "dimension must be >= 1, got " + dimension);
            require(delta > 0 && delta < 1, "delta must be in (0, 1), got " + delta);
            require(confidence > 0 && confidence < 1, "confidence must be in (0, 1), got " + confidence);
        }
    }

    /**
     * What the audit observed.
     *
     * @param epsilonLower    the ε lower bound at the configured confidence
     * @param epsilonClaimed  the accountant's ε for the round at z
     * @param threshold       the distinguisher's threshold on the projection (in units of S)
     * @param falsePositives  runs without the canary guessed "with", of {@code trials}
     * @param falseNegatives  runs with the canary guessed "without", of {@code trials}
     * @param trials          runs per arm in the measuring phase
     * @param fpr             two-sided Clopper–Pearson interval of the false-positive rate at the confidence
     * @param fnr             the same for the false-negative rate
     */
    public record Result(double epsilonLower, double epsilonClaimed, double threshold, int falsePositives,
            int falseNegatives, int trials, double[] fpr, double[] fnr) {
        /** Whether the lower bound exceeds the accountant's ε: the mechanism or its accounting is broken. */
        public boolean violates() {
            return epsilonLower > epsilonClaimed;
        }
    }

    /** Runs the audit. */
    public static Result run(Config c) {
        double clip = 1.0;
        DpFedAvg mechanism = DpFedAvg.builder().clipNorm(clip).noiseMultiplier(c.noiseMultiplier() * c.noiseScale())
                .build();
        ModelState global = ModelState.of(0, Map.of("w", Nd4j.zeros(DataType.FLOAT, c.dimension())));
        List<ClientUpdate> others = otherClients(c, clip);
        List<ClientUpdate> withCanary = new ArrayList<>(others);
        float[] canary = new float[c.dimension()];
        canary[0] = (float) (100 * clip);
        withCanary.add(0, update(0, canary));

        double[] selIn = outputs(mechanism, global, withCanary, c);
        double[] selOut = outputs(mechanism, global, others, c);
        double threshold = bestThreshold(selIn, selOut, c);
        double[] in = outputs(mechanism, global, withCanary, c);
        double[] out = outputs(mechanism, global, others, c);
        int fp = 0;
        int fn = 0;
        for (int t = 0; t < c.trials(); t++) {
            fp += out[t] > threshold ? 1 : 0;
            fn += in[t] > threshold ? 0 : 1;
        }
        double beta = 1 - c.confidence();
        double epsLower = epsilonLower(fp, fn, c.trials(), c.delta(), beta);
        double claimed = new RdpAccountant().step(1.0, c.noiseMultiplier()).epsilon(c.delta()).epsilon();
        return new Result(epsLower, claimed, threshold, fp, fn, c.trials(), clopperPearson(fp, c.trials(), beta),
                clopperPearson(fn, c.trials(), beta));
    }

    /**
     * max(log((1 − δ − FNR̄)/FPR̄), log((1 − δ − FPR̄)/FNR̄), 0) with one-sided Clopper–Pearson upper bounds at
     * confidence 1 − β/2 each (so both hold together with probability ≥ 1 − β).
     */
    public static double epsilonLower(int falsePositives, int falseNegatives, int trials, double delta, double beta) {
        return epsilonLower(upperBound(falsePositives, trials, beta / 2), upperBound(falseNegatives, trials, beta / 2),
                delta);
    }

    private static double epsilonLower(double fpr, double fnr, double delta) {
        double a = Math.log((1 - delta - fnr) / fpr);
        double b = Math.log((1 - delta - fpr) / fnr);
        double e = Math.max(a, b);
        return Double.isNaN(e) ? 0 : Math.max(0, e);
    }

    /** The one-sided Clopper–Pearson upper bound on a rate of k in n at confidence 1 − β. */
    public static double upperBound(int k, int n, double beta) {
        if (k >= n) {
            return 1;
        }
        return new BetaDistribution(null, k + 1, n - k, INVERSE_ACCURACY).inverseCumulativeProbability(1 - beta);
    }

    /** The one-sided Clopper–Pearson lower bound on a rate of k in n at confidence 1 − β. */
    public static double lowerBound(int k, int n, double beta) {
        if (k <= 0) {
            return 0;
        }
        return new BetaDistribution(null, k, n - k + 1, INVERSE_ACCURACY).inverseCumulativeProbability(beta);
    }

    /** The two-sided Clopper–Pearson interval at confidence 1 − β. */
    public static double[] clopperPearson(int k, int n, double beta) {
        return new double[] {lowerBound(k, n, beta / 2), upperBound(k, n, beta / 2)};
    }

    /** W − 1 fixed deltas in random directions with norms in [0.5 S, 2 S], the canary's id 0 left free. */
    private static List<ClientUpdate> otherClients(Config c, double clip) {
        SplittableRandom r = new SplittableRandom(c.seed());
        List<ClientUpdate> out = new ArrayList<>();
        for (int k = 1; k < c.clients(); k++) {
            float[] d = new float[c.dimension()];
            double sq = 0;
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (r.nextDouble() - 0.5);
                sq += d[i] * d[i];
            }
            double norm = clip * (0.5 + 1.5 * r.nextDouble());
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (d[i] * norm / Math.sqrt(sq));
            }
            out.add(update(k, d));
        }
        return out;
    }

    private static ClientUpdate update(int id, float[] delta) {
        Map<String, INDArray> parts = new LinkedHashMap<>();
        parts.put("w", Nd4j.createFromArray(delta));
        return new ClientUpdate(id, 1, 1, PayloadKind.DELTA, parts, Map.of());
    }

    /** The projection on e₁ of T noisy sums (output × qW), in units of S = 1. */
    private static double[] outputs(DpFedAvg mechanism, ModelState global, List<ClientUpdate> updates, Config c) {
        double[] o = new double[c.trials()];
        for (int t = 0; t < o.length; t++) {
            RoundContext ctx = new RoundContext(1, t, c.clients(), c.clients(), List.of());
            ModelState next = mechanism.aggregate(global, updates, ctx);
            o[t] = next.part("w").getDouble(0) * c.clients();
        }
        return o;
    }

    /** The threshold (an observed value) that maximises the ε lower bound on the selection runs. */
    private static double bestThreshold(double[] in, double[] out, Config c) {
        double[] candidates = new double[in.length + out.length];
        System.arraycopy(in, 0, candidates, 0, in.length);
        System.arraycopy(out, 0, candidates, in.length, out.length);
        Arrays.sort(candidates);
        double[] sortedIn = in.clone();
        double[] sortedOut = out.clone();
        Arrays.sort(sortedIn);
        Arrays.sort(sortedOut);
        double best = candidates[0];
        double bestEps = -1;
        // The bound depends on the counts only: one Clopper-Pearson inversion per count, not per candidate.
        double[] bound = new double[c.trials() + 1];
        for (int k = 0; k <= c.trials(); k++) {
            bound[k] = upperBound(k, c.trials(), (1 - c.confidence()) / 2);
        }
        for (double tau : candidates) {
            // Counts above tau by binary search: "guess with" when the output exceeds tau.
            int fp = sortedOut.length - upper(sortedOut, tau);
            int fn = upper(sortedIn, tau);
            double e = epsilonLower(bound[fp], bound[fn], c.delta());
            if (e > bestEps) {
                bestEps = e;
                best = tau;
            }
        }
        return best;
    }

    /** The number of values ≤ x in a sorted array. */
    private static int upper(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
