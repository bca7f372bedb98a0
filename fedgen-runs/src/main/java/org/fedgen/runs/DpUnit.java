package org.fedgen.runs;

/** What a DP run protects: whole clients (DP-FedAvg), single records inside each client (DP-SGD), or both. */
public enum DpUnit {
    /** Client-level DP: DP-FedAvg on the server protects whether a client took part (the default). */
    client,
    /**
     * Record-level DP: every client trains with DP-SGD, which protects each of its records; ε is accounted per client
     * and the run reports the maximum.
     */
    record,
    /**
     * Both in one run: DP-SGD in every client (σ, C from {@code recordNoise}, {@code recordClip}) and DP-FedAvg on
     * the server (z, S from {@code noise}, {@code clip}), one ledger per unit, each guarantee published with its unit.
     */
    both
}
