package org.fedgen.runs;

/**
 * Server optimizers a non-private run can apply to the aggregated pseudo-gradient (Reddi et al. 2021, see
 * {@link org.fedgen.core.aggregate.ServerOptimizer}); {@link #toString()} is the CLI's name.
 */
public enum ServerOptimizerKind {
    /** The aggregate is the new global state (plain FedAvg / FedProx). */
    none,
    /** FedAvgM: server momentum. */
    avgm,
    /** FedAdam. */
    adam,
    /** FedYogi. */
    yogi
}
