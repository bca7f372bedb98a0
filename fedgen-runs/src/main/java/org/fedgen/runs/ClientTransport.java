package org.fedgen.runs;

import java.time.Duration;
import org.fedgen.core.ClientProxy;
import org.fedgen.privacy.secagg.SecAggChannel;
import org.fedgen.privacy.secagg.SecAggConfig;

/**
 * How a deployed run reaches its clients: for every client of the run's split, the proxy the server talks to instead
 * of the simulated client (for example a remote client behind a network connection). The server keeps everything else
 * of the run: aggregation, DP, evaluation, checkpoints and outputs.
 */
public interface ClientTransport {
    /**
     * The proxy for {@code simulated}'s client id. {@code simulated} is the client the split defines; its
     * {@link ClientProxy#registeredExamples()} is the shard size the remote client must hold, and the bound on what
     * its updates may claim. It must not be called.
     */
    ClientProxy client(ClientProxy simulated);

    /** How long a round waits for the clients' updates; null waits for every sampled client. */
    default Duration roundTimeout() {
        return null;
    }

    /**
     * How secure aggregation's server side reaches the remote clients, which mask their own updates: a channel that
     * carries the protocol's messages, with {@code config} the public parameters every client must use. Null (the
     * default) when this transport cannot carry them; a run with secure aggregation is then refused.
     */
    default SecAggChannel secureAggregation(SecAggConfig config) {
        return null;
    }
}
