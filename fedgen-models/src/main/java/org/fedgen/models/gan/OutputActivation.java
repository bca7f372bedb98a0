package org.fedgen.models.gan;

/** The generator's output nonlinearity; both map to pixel space [0, 1]. */
public enum OutputActivation {
    /** y = σ(a). */
    SIGMOID,
    /** y = (tanh(a) + 1) / 2: tanh rescaled to [0, 1]. */
    TANH_RESCALED
}
