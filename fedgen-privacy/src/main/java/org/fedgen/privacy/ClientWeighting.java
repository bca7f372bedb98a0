package org.fedgen.privacy;

/**
 * How DP-FedAvg weights clients in the noisy sum. The Gaussian noise is calibrated to a sensitivity of S, which holds
 * only when every weight is at most 1.
 */
public enum ClientWeighting {
    /** w_k = 1. */
    UNIFORM,
    /** w_k = min(n_k/ŵ, 1) for a cap ŵ: clients with few examples count less, none counts more than 1. */
    CAPPED,
    /** w_k = n_k: unbounded, so one client can move the sum by more than S. Refused by {@link DpFedAvg}. */
    SAMPLE_COUNT
}
