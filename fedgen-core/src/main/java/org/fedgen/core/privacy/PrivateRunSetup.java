package org.fedgen.core.privacy;

import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.fedgen.core.sampling.ClientSampler;

/**
 * What a {@link PrivacyGuarantee} is shown of the run it is part of, when the server is built.
 *
 * @param aggregator           the server's top aggregator (a part policy or a single rule)
 * @param sampler              how clients are chosen each round
 * @param initialState         the model state the run starts from (its part names)
 * @param population           W, the number of clients
 * @param federatedEvaluation  whether clients evaluate on their own data and the server publishes the results
 * @param privateOutputs       what the run publishes, or null if it publishes every metric
 */
public record PrivateRunSetup(Aggregator aggregator, ClientSampler sampler, ModelState initialState, int population,
        boolean federatedEvaluation, PrivateOutputs privateOutputs) {
}
