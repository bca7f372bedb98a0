package org.fedgen.core.aggregate;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FedSGD: each client sends g_k = ∇F_k(w_t) over all its local data (E = 1, B = ∞); the server takes one step
 * w_{t+1} = w_t − η_s Σ_k (n_k/n) g_k. The server learning rate η_s is the only step size.
 *
 * <p>Streams (see {@link #begin}): a round holds one running sum per part whatever the number of clients.
 */
public final class FedSgd implements StreamingAggregator {
    private static final Logger LOG = LoggerFactory.getLogger(FedSgd.class);
    private final double serverLearningRate;

    /** FedSGD with server learning rate η_s. */
    public FedSgd(double serverLearningRate) {
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate)) {
            throw new IllegalArgumentException("FedSgd server learning rate must be finite and > 0, got "
                    + serverLearningRate);
        }
        this.serverLearningRate = serverLearningRate;
    }

    /** The server learning rate η_s. */
    public double serverLearningRate() {
        return serverLearningRate;
    }

    @Override
    public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        return instructions.toBuilder().payloadKind(PayloadKind.GRADIENT).localEpochs(1).localSteps(0).build();
    }

    /** The fold of {@link #begin} over {@code updates}: the same bits buffered or streamed. */
    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        return StreamingAggregator.foldAll(this, global, updates, context);
    }

    /**
     * Folds Σ_k n_k·g_k and takes the step w_t − (η_s/n)·Σ_k n_k·g_k once at the end.
     */
    @Override
    public Fold begin(ModelState global, RoundContext context) {
        return RunningSums.fold(global, u -> {
            requireGradient(u);
            return u.numExamples();
        }, sums -> sums.stepAgainstMean(serverLearningRate),
                () -> LOG.warn("round {}: no gradient with examples; global unchanged", context.round()));
    }

    private static void requireGradient(ClientUpdate u) {
        if (u.kind() != PayloadKind.GRADIENT) {
            throw new IllegalStateException("FedSgd needs GRADIENT payloads; client " + u.clientId() + " sent "
                    + u.kind());
        }
    }

    @Override
    public String toString() {
        return "FedSgd(lr=" + serverLearningRate + ")";
    }
}
