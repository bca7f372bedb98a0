package org.fedgen.runs;

/** What a DP run protects: whole clients (DP-FedAvg) or single records inside each client (DP-SGD). */
public enum DpUnit {
    /** Client-level DP: DP-FedAvg on the server protects whether a client took part (the default). */
    client,
    /**
     * Record-level DP: every client trains with DP-SGD, which protects each of its records; ε is accounted per client
     * and the run reports the maximum.
     */
    record
}
