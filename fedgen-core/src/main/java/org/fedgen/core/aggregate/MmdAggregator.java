package org.fedgen.core.aggregate;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MMD-weighted generator aggregation of IFL-GAN (Li et al. 2023). Each client reports {@code mmd}, the MMD between
 * its real local samples and samples of its own generator; weights are α_k = softmax(s·mmd_k/τ) and the new global
 * parts are Σ_k α_k w_k. Clients whose score exceeds the threshold c (default: the mean score) adopt the global parts
 * next time they train; the others keep training their own.
 *
 * <p>Route only the generator's parts here (with a {@link org.fedgen.core.PartPolicy}) and FedAvg the rest. The paper
 * leaves the sign open; reproductions use s = +1, the default.
 */
public final class MmdAggregator implements Aggregator, InspectsIndividualUpdates {
    /** Name of the metric clients report. */
    public static final String MMD_METRIC = "mmd";

    private final double sign;
    private final double temperature;
    private final Double threshold;

    /** s = +1, τ = 1, c = mean of the round's scores. */
    public MmdAggregator() {
        this(1.0, 1.0, null);
    }

    /**
     * @param sign        s, +1 or −1
     * @param temperature τ &gt; 0
     * @param threshold   c, or null for the mean of the round's scores
     */
    public MmdAggregator(double sign, double temperature, Double threshold) {
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
    }

    @Override
    public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        Set<String> persist = new LinkedHashSet<>(instructions.persistParts());
        persist.addAll(global.partNames());
        return instructions.toBuilder().reportMmd(true).persistParts(persist).build();
    }

    /** α_k = softmax(s·scores/τ), computed with the maximum subtracted for stability. */
    public double[] weights(double[] scores) {
        double[] a = new double[scores.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < a.length; i++) {
            a[i] = sign * scores[i] / temperature;
            max = Math.max(max, a[i]);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.exp(a[i] - max);
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
        double mean = 0;
        for (int i = 0; i < scores.length; i++) {
            ClientUpdate u = updates.get(i);
            scores[i] = u.metric(MMD_METRIC);
            if (!Double.isFinite(scores[i])) {
                throw new IllegalStateException("client " + u.clientId() + " reported no finite '" + MMD_METRIC
                        + "' metric (got " + scores[i] + "); MmdAggregator needs FitInstructions.reportMmd()");
            }
            mean += scores[i] / scores.length;
        }
        double[] alpha = weights(scores);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String part : global.partNames()) {
            out.put(part, Payloads.weightedWeights(updates, alpha, part, global.part(part)));
        }
        double c = threshold != null ? threshold : mean;
        int adopted = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean adopt = scores[i] > c;
            adopted += adopt ? 1 : 0;
            context.resumeFromLocal(updates.get(i).clientId(), adopt ? Set.of() : global.partNames());
        }
        context.metric("mmd_mean", mean);
        context.metric("mmd_threshold", c);
        context.metric("mmd_adopted", adopted);
        return ModelState.of(global.round(), out);
    }

    @Override
    public String toString() {
        return "MmdAggregator(s=" + sign + ", tau=" + temperature + ", c=" + (threshold == null ? "mean" : threshold)
                + ")";
    }
}
