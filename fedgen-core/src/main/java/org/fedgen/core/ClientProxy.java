package org.fedgen.core;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The server's handle on one client: in-process for simulation ({@link InProcessClientProxy}), remote for deployment.
 * Calls return at once; the server collects the futures with a deadline.
 */
public interface ClientProxy {
    /** The id of the client behind this proxy. */
    int clientId();

    /**
     * The number of training examples the server knows this client to hold, independently of what its updates claim:
     * a simulated client's shard size, an in-process client's size when it joined, a deployment's registered size.
     * Updates' {@code numExamples} are capped at it (see {@link ClaimBounds}); empty (the default) means unknown, and
     * then the client counts as one example.
     */
    default OptionalLong registeredExamples() {
        return OptionalLong.empty();
    }

    /** Starts local training of the client; the future completes with its update or fails with its error. */
    CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions);

    /** Starts federated evaluation on the client. */
    CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions);
}
