/**
 * Aggregation rules ({@link org.fedgen.core.aggregate.FedAvg}, {@link org.fedgen.core.aggregate.FedSgd},
 * {@link org.fedgen.core.aggregate.FedProx}, {@link org.fedgen.core.aggregate.MmdAggregator}), server optimizers and
 * decorators, with the payload arithmetic they share in {@link org.fedgen.core.aggregate.Payloads}. Rules that look at
 * individual updates say so by implementing {@link org.fedgen.core.aggregate.InspectsIndividualUpdates}.
 */
package org.fedgen.core.aggregate;
