package org.fedgen.runs;

import org.fedgen.core.aggregate.ServerOptimizer;

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
    fedexp;

    /** The {@link ServerOptimizer} rule of avgm, adam and yogi; null for none and fedexp, which are not one. */
    ServerOptimizer.Kind stepKind() {
        return switch (this) {
            case avgm -> ServerOptimizer.Kind.AVGM;
            case adam -> ServerOptimizer.Kind.ADAM;
            case yogi -> ServerOptimizer.Kind.YOGI;
            case none, fedexp -> null;
        };
    }
}
