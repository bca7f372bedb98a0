package org.fedgen.core;

/** What the vectors of a {@link ClientUpdate} hold. */
public enum PayloadKind {
    /** The client's parameters after local training, w_k. */
    WEIGHTS,
    /** The change local training made, Δ_k = w_k − w_t. */
    DELTA,
    /** The gradient of the client's loss at w_t over all its local data (FedSGD). */
    GRADIENT
}
