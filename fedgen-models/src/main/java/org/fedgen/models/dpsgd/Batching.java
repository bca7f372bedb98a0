package org.fedgen.models.dpsgd;

/** How a DP-SGD step picks its records. */
public enum Batching {
    /**
     * Each record joins each step's batch independently with probability q = B / n: the sampling the subsampled
     * Gaussian accountant assumes.
     */
    POISSON,
    /**
     * Exactly B records drawn without replacement per step; the accountant's ε is then an approximation, not a
     * guarantee, and must be labelled so.
     */
    FIXED_SIZE
}
