package org.fedgen.core;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The server's handle on one client: in-process for simulation ({@link InProcessClientProxy}), remote for deployment.
 * Calls return at once; the server collects the futures with a deadline.
 */
public interface ClientProxy {
    /** The id of the client behind this proxy. */
    int clientId();

    /** Starts local training of the client; the future completes with its update or fails with its error. */
    CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions);

    /** Starts federated evaluation on the client. */
    CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions);
}
