/**
 * Aggregation rules ({@link org.fedgen.core.aggregate.FedAvg}, {@link org.fedgen.core.aggregate.FedSgd},
 * {@link org.fedgen.core.aggregate.FedProx}, {@link org.fedgen.core.aggregate.MmdAggregator}), server optimizers and
 * decorators, with the payload arithmetic they share in {@link org.fedgen.core.aggregate.Payloads}. Rules that look at
 * individual updates say so by implementing {@link org.fedgen.core.aggregate.InspectsIndividualUpdates}. FedAvg,
 * FedProx, FedSgd, and ServerOptimizer, FedExp, IterateAverage and ExponentialMovingAverage over a streaming rule also
 * implement {@link org.fedgen.core.StreamingAggregator}; the MMD aggregator needs every update of the round (softmax
 * weights over all scores) and is buffered when the server streams.
 */
package org.fedgen.core.aggregate;
