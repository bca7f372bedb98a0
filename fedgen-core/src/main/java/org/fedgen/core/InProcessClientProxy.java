package org.fedgen.core;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A {@link ClientProxy} that runs a {@link Client} in this JVM on the given executor. The client's
 * {@link Client#numExamples()} when the proxy is made is its registered size: later updates cannot claim more.
 */
public final class InProcessClientProxy implements ClientProxy {
    private final Client client;
    private final Executor executor;
    private final long registered;

    /** Runs {@code client}'s calls on {@code executor}. */
    public InProcessClientProxy(Client client, Executor executor) {
        this.client = Objects.requireNonNull(client, "client");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.registered = client.numExamples();
    }

    @Override
    public int clientId() {
        return client.id();
    }

    @Override
    public OptionalLong registeredExamples() {
        return OptionalLong.of(registered);
    }

    @Override
    public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
        return CompletableFuture.supplyAsync(() -> client.fit(global, instructions), executor);
    }

    @Override
    public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
        return CompletableFuture.supplyAsync(() -> client.evaluate(global, instructions), executor);
    }
}
