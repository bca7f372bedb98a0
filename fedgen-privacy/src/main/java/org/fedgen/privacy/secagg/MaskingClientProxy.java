package org.fedgen.privacy.secagg;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;

/**
 * Puts the client side of secure aggregation in front of a client: its update is masked on the client's side (on
 * the thread that trained it) before the server gets it. Evaluation passes through unchanged.
 */
public final class MaskingClientProxy implements ClientProxy {
    private final ClientProxy client;
    private final SecAggClient secagg;

    /**
     * @throws IllegalArgumentException if the two ids differ
     */
    public MaskingClientProxy(ClientProxy client, SecAggClient secagg) {
        this.client = Objects.requireNonNull(client, "client");
        this.secagg = Objects.requireNonNull(secagg, "secagg");
        if (client.clientId() != secagg.id()) {
            throw new IllegalArgumentException("client " + client.clientId() + " given the secure aggregation state"
                    + " of client " + secagg.id());
        }
    }

    @Override
    public int clientId() {
        return client.clientId();
    }

    /** The masked client's registered size: masking does not change what the server knows of it. */
    @Override
    public OptionalLong registeredExamples() {
        return client.registeredExamples();
    }

    @Override
    public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
        return client.fit(global, instructions).thenApply(u -> secagg.mask(u, global));
    }

    @Override
    public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
        return client.evaluate(global, instructions);
    }
}
