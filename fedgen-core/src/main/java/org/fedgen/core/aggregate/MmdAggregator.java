package org.fedgen.core.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.ChecksClientReports;
import org.fedgen.core.ClaimBounds;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MMD-weighted generator aggregation of IFL-GAN (Li et al. 2023). Each client reports {@code mmd}, the MMD between
 * its real local samples and samples of its own generator; weights are α_k = softmax(s·mmd_k/τ) and the new global
 * parts are Σ_k α_k w_k. Clients whose score exceeds the threshold c (default: the mean score) adopt the global parts
 * next time they train; the others keep training their own.
 *
 * <p>Route only the generator's parts here (with a {@link org.fedgen.core.PartPolicy}) and FedAvg the rest. The paper
 * leaves the sign open; reproductions use s = +1, the default.
 *
 * <p>Optionally the weights keep FedAvg's data-size prior: α_k ∝ n_k·exp(s·mmd_k/τ). The paper's softmax weighs clients
 * equally when their scores are close (small scores against τ), so the global generator then fits the uniform mixture
 * of the clients' data, which under-weights the classes held by large clients. With the prior, equal scores give
 * exactly FedAvg's n_k/N and the scores tilt it. Measurements of both rules: {@code docs/results.md}.
 *
 * <p>Streams (see {@link #begin}) unless a maximum client weight below 1 is set: water-filling the weights needs all
 * of them, so that fold buffers the round's updates.
 */
public final class MmdAggregator implements StreamingAggregator, InspectsIndividualUpdates, ChecksClientReports {
    /** Name of the metric clients report. */
    public static final String MMD_METRIC = "mmd";

    private final double sign;
    private final double temperature;
    private final Double threshold;
    private final boolean dataWeighted;
    private final double scoreBound;
    private final double maxWeight;

    /** s = +1, τ = 1, c = mean of the round's scores, no data-size prior. */
    public MmdAggregator() {
        this(1.0, 1.0, null);
    }

    /** As {@link #MmdAggregator(double, double, Double, boolean)} without the data-size prior (the paper's weights). */
    public MmdAggregator(double sign, double temperature, Double threshold) {
        this(sign, temperature, threshold, false);
    }

    /**
     * @param sign        s, +1 or −1
     * @param temperature τ &gt; 0
     * @param threshold   c, or null for the mean of the round's scores
     * @param dataWeighted whether α_k also carries the factor n_k (see the class comment)
     */
    public MmdAggregator(double sign, double temperature, Double threshold, boolean dataWeighted) {
        this(sign, temperature, threshold, dataWeighted, DEFAULT_SCORE_BOUND, 1.0);
    }

    /**
     * |MMD²_u| ≤ 2 for any kernel bounded by 1, such as the single Gaussian kernel of
     * {@link org.fedgen.core.metrics.KernelMmd#medianHeuristic()}: a score outside [−2, 2] cannot be honest.
     */
    public static final double DEFAULT_SCORE_BOUND = 2.0;

    /**
     * @param scoreBound B: an update whose {@code mmd} is not finite or |mmd| &gt; B is rejected by the server (a sum
     *                   of m kernels bounded by 1 needs B = 2m)
     * @param maxWeight  the largest α_k one client may get, in (0, 1]; larger ones are water-filled down
     *                   ({@link ClaimBounds#cappedShares}); 1 leaves the weights as computed
     */
    public MmdAggregator(double sign, double temperature, Double threshold, boolean dataWeighted, double scoreBound,
            double maxWeight) {
        if (sign != 1.0 && sign != -1.0) {
            throw new IllegalArgumentException("MMD sign s must be +1 or -1, got " + sign);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("MMD temperature must be finite and > 0, got " + temperature);
        }
        if (threshold != null && !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("MMD threshold must be finite, got " + threshold);
        }
        this.sign = sign;
        this.temperature = temperature;
        this.threshold = threshold;
        this.dataWeighted = dataWeighted;
        if (!(scoreBound > 0) || !Double.isFinite(scoreBound)) {
            throw new IllegalArgumentException("MMD score bound must be finite and > 0, got " + scoreBound);
        }
        if (!(maxWeight > 0 && maxWeight <= 1)) {
            throw new IllegalArgumentException("MMD maximum client weight must be in (0, 1], got " + maxWeight);
        }
        this.scoreBound = scoreBound;
        this.maxWeight = maxWeight;
    }

    /** Rejects a missing, non-finite or out-of-range score, so one client cannot take all weight or abort a round. */
    @Override
    public String reportRejection(ClientUpdate u) {
        double s = u.metric(MMD_METRIC);
        if (!Double.isFinite(s) || Math.abs(s) > scoreBound) {
            return "reported " + MMD_METRIC + " = " + s + ", outside [-" + scoreBound + ", " + scoreBound + "]";
        }
        return null;
    }

    @Override
    public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        Set<String> persist = new LinkedHashSet<>(instructions.persistParts());
        persist.addAll(global.partNames());
        return instructions.toBuilder().reportMmd(true).persistParts(persist).build();
    }

    /** α_k = softmax(s·scores/τ), computed with the maximum subtracted for stability. */
    public double[] weights(double[] scores) {
        return weights(scores, null);
    }

    /**
     * α_k ∝ n_k·exp(s·scores_k/τ), normalised; {@code examples} null drops the n_k factor (the paper's softmax).
     *
     * @param examples n_k per client, each &gt; 0, or null
     */
    public double[] weights(double[] scores, double[] examples) {
        if (examples != null && examples.length != scores.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + examples.length + " example counts");
        }
        double[] a = new double[scores.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < a.length; i++) {
            a[i] = sign * scores[i] / temperature;
            max = Math.max(max, a[i]);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.exp(a[i] - max) * (examples == null ? 1.0 : examples[i]);
            sum += a[i];
        }
        for (int i = 0; i < a.length; i++) {
            a[i] /= sum;
        }
        return a;
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        if (updates.isEmpty()) {
            return global;
        }
        double[] scores = new double[updates.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = requireScore(updates.get(i));
        }
        double[] examples = null;
        if (dataWeighted) {
            examples = new double[updates.size()];
            for (int i = 0; i < examples.length; i++) {
                examples[i] = updates.get(i).numExamples();
            }
        }
        double[] alpha = weights(scores, examples);
        if (maxWeight < 1) {
            alpha = ClaimBounds.cappedShares(alpha, maxWeight);
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String part : global.partNames()) {
            out.put(part, Payloads.weightedWeights(updates, alpha, part, global.part(part)));
        }
        decide(updates.stream().map(ClientUpdate::clientId).toList(), scores, global, context);
        return ModelState.of(global.round(), out);
    }

    /** The client's finite score; the server has already rejected out-of-range ones ({@link #reportRejection}). */
    private static double requireScore(ClientUpdate u) {
        double score = u.metric(MMD_METRIC);
        if (!Double.isFinite(score)) {
            throw new IllegalStateException("client " + u.clientId() + " reported no finite '" + MMD_METRIC
                    + "' metric (got " + score + "); MmdAggregator needs FitInstructions.reportMmd()");
        }
        return score;
    }

    /** Clients scoring above c adopt the global parts; the others keep theirs. Records the round's MMD metrics. */
    private void decide(List<Integer> ids, double[] scores, ModelState global, RoundContext context) {
        double mean = 0;
        for (double score : scores) {
            mean += score / scores.length;
        }
        double c = threshold != null ? threshold : mean;
        int adopted = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean adopt = scores[i] > c;
            adopted += adopt ? 1 : 0;
            context.resumeFromLocal(ids.get(i), adopt ? Set.of() : global.partNames());
        }
        context.metric("mmd_mean", mean);
        context.metric("mmd_threshold", c);
        context.metric("mmd_adopted", adopted);
    }

    /** False with a maximum client weight below 1, whose water-filling needs every weight: that fold buffers. */
    @Override
    public boolean streams() {
        return maxWeight == 1;
    }

    /**
     * Folds with the running softmax: with M the largest s·mmd_k/τ so far it keeps S = Σ_k e^(a_k − M)·c_k·p_k (c_k =
     * n_k with the data-size prior, else 1) and the sum of the coefficients, and rebases both by e^(M − M') when a
     * larger score M' arrives; finishing divides once. The weights equal {@link #weights}'s in exact arithmetic, so
     * the result differs from {@link #aggregate}'s only in float32 rounding. Scores and ids (not payloads) are kept
     * for the adoption decisions, taken at the end against the mean or the fixed threshold as in {@link #aggregate}.
     */
    @Override
    public Fold begin(ModelState global, RoundContext context) {
        if (maxWeight < 1) {
            return StreamingAggregator.buffering(this, global, context);
        }
        RunningSums sums = new RunningSums(global);
        return new Fold() {
            private final List<Integer> ids = new ArrayList<>();
            private final List<Double> scores = new ArrayList<>();
            private double max = Double.NEGATIVE_INFINITY;

            @Override
            public void accept(ClientUpdate u) {
                Payloads.requireAveragable(u);
                double score = requireScore(u);
                double a = sign * score / temperature;
                if (a > max) {
                    if (!ids.isEmpty()) {
                        sums.scale(Math.exp(max - a));
                    }
                    max = a;
                }
                ids.add(u.clientId());
                scores.add(score);
                sums.add(u, Math.exp(a - max) * (dataWeighted ? u.numExamples() : 1.0));
            }

            @Override
            public ModelState finish() {
                if (ids.isEmpty()) {
                    return global;
                }
                ModelState out = sums.total() == 0 ? global : sums.meanOfWeights();
                decide(ids, scores.stream().mapToDouble(Double::doubleValue).toArray(), global, context);
                return out;
            }
        };
    }

    @Override
    public String toString() {
        return "MmdAggregator(s=" + sign + ", tau=" + temperature + ", c=" + (threshold == null ? "mean" : threshold)
                + (dataWeighted ? ", n_k prior" : "") + ")";
    }
}
