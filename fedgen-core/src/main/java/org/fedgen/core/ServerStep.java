package org.fedgen.core;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Server-side training after aggregation, e.g. DP-FedAvg-GAN's generator steps against the newly aggregated
 * discriminator. It receives only model state and the round context: no client data is reachable through this
 * interface, so a step that needs none provably uses none.
 */
@FunctionalInterface
public interface ServerStep {
    /**
     * @param aggregated the state after aggregation (all parts)
     * @param context    the round's context (round number, seed for this step's randomness, metric sink)
     * @return the state the round ends with; parts not changed may be returned as they are
     */
    ModelState apply(ModelState aggregated, RoundContext context);

    /** State the step keeps across rounds that a checkpoint must hold (optimizer moments, ...); empty if none. */
    default Map<String, INDArray> state() {
        return Map.of();
    }

    /** Restores what {@link #state()} returned. */
    default void restoreState(Map<String, INDArray> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " keeps no state but was given "
                    + state.keySet());
        }
    }
}
