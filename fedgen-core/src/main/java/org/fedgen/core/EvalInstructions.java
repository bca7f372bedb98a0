package org.fedgen.core;

/**
 * What the server asks of a client for federated evaluation.
 *
 * @param round the round whose global state is evaluated
 * @param seed  seed for the evaluation's random choices (e.g. the VAE's reparameterisation noise)
 */
public record EvalInstructions(long round, long seed) {
}
