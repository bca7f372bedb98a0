package org.fedgen.runs;

/** Aggregation rules a run can use for the parts clients share; {@link #toString()} is the CLI's name. */
public enum AggregatorKind {
    /** FedAvg, sample-count weighted. */
    fedavg,
    /** FedSGD with the run's server learning rate. */
    fedsgd,
    /** FedAvg of clients that minimise the FedProx objective with the run's μ. */
    fedprox,
    /** The MMD-softmax aggregator (IFL-GAN) on the generator part, FedAvg on the others. */
    mmd,
    /** SCAFFOLD: drift-corrected local steps with control variates, server step size {@code --server-lr}. */
    scaffold,
    /** Coordinate-wise median of the deltas. */
    median,
    /** Coordinate-wise β-trimmed mean of the deltas. */
    trimmed_mean,
    /** Krum: the delta closest to its n − f − 2 nearest neighbours. */
    krum,
    /** Multi-Krum: the mean of the m lowest-scoring deltas. */
    multi_krum,
    /** FedAvg of deltas clipped to an L2 norm. */
    norm_bound,
    /** RFA: the geometric median by smoothed Weiszfeld iterations. */
    rfa;

    /** Whether the rule is one of the robust rules configured by {@link RobustSettings}. */
    public boolean robust() {
        return ordinal() >= median.ordinal();
    }

    /** The CLI name: {@code trimmed_mean} is written {@code trimmed-mean}. */
    @Override
    public String toString() {
        return DashedNames.of(this);
    }
}
