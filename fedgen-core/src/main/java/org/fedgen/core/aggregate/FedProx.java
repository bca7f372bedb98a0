package org.fedgen.core.aggregate;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;

/**
 * FedProx (Li et al. 2020): clients minimise F_k(w) + (μ/2)‖w − w_t‖², so every local gradient gets + μ(w − w_t); the
 * server averages as {@link FedAvg}. μ travels to the clients in {@link FitInstructions#proximalMu()}. Streams as
 * {@link FedAvg#begin} does.
 */
public final class FedProx implements StreamingAggregator {
    private final double mu;
    private final FedAvg average;

    /** Sample-weighted FedProx with proximal coefficient μ (typical values 0.001, 0.01, 0.1, 1). */
    public FedProx(double mu) {
        this(mu, new FedAvg());
    }

    /** FedProx with proximal coefficient {@code mu}, averaging with {@code average}. */
    public FedProx(double mu, FedAvg average) {
        if (!(mu > 0) || !Double.isFinite(mu)) {
            throw new IllegalArgumentException("FedProx mu must be finite and > 0, got " + mu);
        }
        this.mu = mu;
        this.average = java.util.Objects.requireNonNull(average, "average");
    }

    /** The proximal coefficient μ sent to clients. */
    public double mu() {
        return mu;
    }

    @Override
    public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        return instructions.toBuilder().proximalMu(mu).build();
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        return average.aggregate(global, updates, context);
    }

    @Override
    public Fold begin(ModelState global, RoundContext context) {
        return average.begin(global, context);
    }

    @Override
    public String toString() {
        return "FedProx(mu=" + mu + ")";
    }
}
