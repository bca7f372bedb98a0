package org.fedgen.runs;

/** Aggregation rules a run can use for the parts clients share (the names are the CLI's). */
public enum AggregatorKind {
    /** FedAvg, sample-count weighted. */
    fedavg,
    /** FedSGD with the run's server learning rate. */
    fedsgd,
    /** FedAvg of clients that minimise the FedProx objective with the run's μ. */
    fedprox,
    /** The MMD-softmax aggregator (IFL-GAN) on the generator part, FedAvg on the others. */
    mmd
}
