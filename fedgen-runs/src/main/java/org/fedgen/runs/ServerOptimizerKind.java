package org.fedgen.runs;

/**
 * Server optimizers a non-private run can apply to the aggregated pseudo-gradient (Reddi et al. 2021, see
 * {@link org.fedgen.core.aggregate.ServerOptimizer}; FedExP, see {@link org.fedgen.core.aggregate.FedExp});
 * {@link #toString()} is the CLI's name.
 */
public enum ServerOptimizerKind {
    /** The aggregate is the new global state (plain FedAvg / FedProx). */
    none,
    /** FedAvgM: server momentum. */
    avgm,
    /** FedAdam. */
    adam,
    /** FedYogi. */
    yogi,
    /** FedExP: an extrapolated step whose size the clients' drift sets each round (no server learning rate). */
    fedexp
}
