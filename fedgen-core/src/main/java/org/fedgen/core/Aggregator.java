package org.fedgen.core;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns the round's accepted client updates into the next global state: the one interface a custom aggregation rule
 * implements (compare Flower's {@code Strategy}).
 *
 * <p>The server validates updates before they get here (finite values, expected parts and lengths, right round), passes
 * them in ascending client-id order, and calls {@link #aggregate} even when no update was accepted, so rules that must
 * act every round (DP noise, server momentum) can. Decorators wrap an aggregator; a {@link PartPolicy} routes parts to
 * different aggregators, and then each sees only its own parts in {@code global} and in the updates.
 */
public interface Aggregator {

    /**
     * Adjusts the instructions the server is about to send (e.g. FedProx sets μ, FedSGD asks for gradients).
     *
     * @param instructions what the server would send
     * @param global       the current global state, all parts
     */
    default FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        return instructions;
    }

    /**
     * Like {@link #configureFit}, but also told which clients were sampled for the round, for rules that run a
     * protocol with them before training starts (secure aggregation's key exchange). The server calls this one; the
     * default delegates to {@link #configureFit}.
     *
     * @param instructions what the server would send
     * @param global       the current global state, all parts
     * @param sampled      ids of the clients about to be asked to train, ascending
     */
    default FitInstructions configureRound(FitInstructions instructions, ModelState global, List<Integer> sampled) {
        return configureFit(instructions, global);
    }

    /**
     * Computes the new values of the parts in {@code global}.
     *
     * @param global  the current global state, restricted to this aggregator's parts
     * @param updates accepted updates in ascending client-id order, restricted to the same parts; may be empty
     * @param context the round's context: round number, population, seed, and sinks for metrics and per-client
     *                decisions
     * @return a state with exactly the parts of {@code global}; the server sets its round
     */
    ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context);

    /** Server-side state that a checkpoint must hold (momentum, adaptive clip norm, ...); empty if stateless. */
    default Map<String, INDArray> state() {
        return Map.of();
    }

    /** Restores what {@link #state()} returned. */
    default void restoreState(Map<String, INDArray> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " is stateless but was given state "
                    + state.keySet());
        }
    }
}
