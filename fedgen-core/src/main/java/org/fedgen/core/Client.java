package org.fedgen.core;

import java.util.Map;

/**
 * A federated participant: trains on its private data starting from a global state, and evaluates a global state on
 * its held-out data. Its data never leaves it; only {@link ClientUpdate}s and metrics do.
 */
public interface Client {
    /** A stable id; updates are aggregated in ascending id order so results never depend on timing. */
    int id();

    /** Number of local training examples (the n_k of the aggregation formulas). */
    long numExamples();

    /** Trains locally from {@code global} as instructed and returns the update to send. */
    ClientUpdate fit(ModelState global, FitInstructions instructions);

    /**
     * Evaluates {@code global} on local held-out data. The map should contain {@code "numExamples"} so the server can
     * weight it; an empty map means "nothing to evaluate".
     */
    Map<String, Double> evaluate(ModelState global, EvalInstructions instructions);
}
