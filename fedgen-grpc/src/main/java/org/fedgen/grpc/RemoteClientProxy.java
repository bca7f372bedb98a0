package org.fedgen.grpc;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;

/**
 * The server's handle on one remote client id: a task goes to whichever session of {@link GrpcFederationServer}
 * currently hosts the id. A client that is not connected fails its task at once, so the round goes on without it,
 * and it takes part again in the first round after it reconnects.
 */
public final class RemoteClientProxy implements ClientProxy {
    private final GrpcFederationServer server;
    private final int id;
    private final OptionalLong registered;
    private final java.util.Set<String> ownParts;

    RemoteClientProxy(GrpcFederationServer server, int id, OptionalLong registered, java.util.Set<String> ownParts) {
        this.server = server;
        this.id = id;
        this.registered = registered;
        this.ownParts = java.util.Set.copyOf(ownParts);
    }

    @Override
    public int clientId() {
        return id;
    }

    /** The number of examples the run's split gives this client (its updates' claims are capped at it). */
    @Override
    public OptionalLong registeredExamples() {
        return registered;
    }

    @Override
    public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
        ServerSession s = server.session(id);
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("client " + id + " is not connected"));
        }
        String mismatch = s.dataMismatch(id, registered);
        if (mismatch != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(mismatch));
        }
        return s.fit(id, global, instructions);
    }

    @Override
    public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
        ServerSession s = server.session(id);
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("client " + id + " is not connected"));
        }
        return s.evaluate(id, global, instructions, ownParts);
    }

    @Override
    public String toString() {
        return "RemoteClientProxy{client=" + id + '}';
    }
}
