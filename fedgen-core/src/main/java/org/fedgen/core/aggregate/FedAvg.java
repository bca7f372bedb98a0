package org.fedgen.core.aggregate;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federated averaging (McMahan et al. 2017): w_{t+1} = Σ_k (n_k/n) w_k, or with uniform weights Σ_k w_k / K. Accepts
 * weight and delta payloads (w_k = w_t + Δ_k). With no accepted update, or no examples at all, the global state stays.
 *
 * <p>Streams (see {@link #begin}): a round holds one running sum per part whatever the number of clients.
 */
public final class FedAvg implements StreamingAggregator {
    private static final Logger LOG = LoggerFactory.getLogger(FedAvg.class);

    /** How client contributions are weighted. */
    public enum Weighting {
        /** n_k / n: clients count in proportion to their examples. */
        SAMPLES,
        /** 1 / K: every client counts the same. */
        UNIFORM
    }

    private final Weighting weighting;

    /** Sample-weighted FedAvg. */
    public FedAvg() {
        this(Weighting.SAMPLES);
    }

    /** FedAvg with the given client weighting. */
    public FedAvg(Weighting weighting) {
        this.weighting = java.util.Objects.requireNonNull(weighting, "weighting");
    }

    /** FedAvg with uniform client weights. */
    public static FedAvg uniform() {
        return new FedAvg(Weighting.UNIFORM);
    }

    /** How clients are weighted. */
    public Weighting weighting() {
        return weighting;
    }

    /**
     * The normalised weights of the updates under a weighting, or null if they cannot be formed (no updates, or
     * sample weighting with zero examples in total).
     */
    static double[] weights(List<ClientUpdate> updates, Weighting weighting) {
        int k = updates.size();
        if (k == 0) {
            return null;
        }
        double[] w = new double[k];
        if (weighting == Weighting.UNIFORM) {
            java.util.Arrays.fill(w, 1.0 / k);
            return w;
        }
        double n = 0;
        for (ClientUpdate u : updates) {
            n += u.numExamples();
        }
        if (n == 0) {
            return null;
        }
        for (int i = 0; i < k; i++) {
            w[i] = updates.get(i).numExamples() / n;
        }
        return w;
    }

    /**
     * The fold of {@link #begin} over {@code updates}: buffered and streamed rounds run the same arithmetic, so a run
     * gives the same bits with and without streaming.
     */
    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        return StreamingAggregator.foldAll(this, global, updates, context);
    }

    /**
     * Folds Σ_k c_k·w_k with c_k = n_k (or 1 when uniform) and divides by Σ_k c_k once at the end, because n is only
     * known when the last update has arrived.
     */
    @Override
    public Fold begin(ModelState global, RoundContext context) {
        return RunningSums.fold(global, u -> {
            Payloads.requireAveragable(u);
            return weighting == Weighting.UNIFORM ? 1.0 : u.numExamples();
        }, RunningSums::meanOfWeights, () -> LOG.warn("round {}: no update with examples to average; global parts {}"
                + " unchanged", context.round(), global.partNames()));
    }

    @Override
    public String toString() {
        return "FedAvg(" + weighting + ")";
    }
}
