package org.fedgen.grpc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedgen.privacy.secagg.SecAggChannel;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecAggMessage;

/**
 * The server's {@link SecAggChannel} to remote clients: each request goes, over the session that hosts the client id
 * (admitted with that id's credentials), to the client host, which answers with that client's side of the protocol.
 * A reply counts only if it comes on that session, for that exchange, naming that client; anything else is refused
 * and logged by the session, and the client counts as dropped. A client that is not connected, disconnects, refuses
 * or does not answer within the timeout fails the exchange at once, so the server goes on without it.
 */
public final class GrpcSecAggChannel implements SecAggChannel {
    private final GrpcFederationServer server;
    private final SecAggConfig config;
    private final Duration timeout;

    GrpcSecAggChannel(GrpcFederationServer server, SecAggConfig config, Duration timeout) {
        this.server = server;
        this.config = Objects.requireNonNull(config, "config");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("secure aggregation timeout must be > 0, got " + timeout);
        }
        this.timeout = timeout;
    }

    /** The public parameters sent to every client with the round's key advertisement. */
    public SecAggConfig config() {
        return config;
    }

    /**
     * @throws IllegalStateException if client {@code clientId} is not connected, disconnects, refuses, sends a
     *                               malformed or misattributed reply, or does not answer within the timeout
     */
    @Override
    public SecAggMessage exchange(int clientId, SecAggMessage request) {
        ServerSession s = server.session(clientId);
        if (s == null) {
            throw new IllegalStateException("client " + clientId + " is not connected");
        }
        CompletableFuture<SecAggMessage> reply = s.secAgg(clientId, request, config);
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reply.cancel(false);
            throw new IllegalStateException("client " + clientId + " did not answer " + request.getClass()
                    .getSimpleName() + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for client " + clientId, e);
        }
    }
}
