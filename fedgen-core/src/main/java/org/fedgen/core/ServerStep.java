package org.fedgen.core;

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
}
