package org.fedgen.core.attack;

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
 * A client that trains honestly and then sends what an {@link UpdateAttack} makes of its update. Evaluation and the
 * registered size are the honest client's (the server knows the attacker's real size).
 */
public final class PoisonedClient implements ClientProxy {
    private final ClientProxy honest;
    private final UpdateAttack attack;

    public PoisonedClient(ClientProxy honest, UpdateAttack attack) {
        this.honest = Objects.requireNonNull(honest, "honest");
        this.attack = Objects.requireNonNull(attack, "attack");
    }

    @Override
    public int clientId() {
        return honest.clientId();
    }

    @Override
    public OptionalLong registeredExamples() {
        return honest.registeredExamples();
    }

    @Override
    public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
        return honest.fit(global, instructions).thenApply(u -> attack.poison(u, global, instructions));
    }

    @Override
    public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
        return honest.evaluate(global, instructions);
    }

    @Override
    public String toString() {
        return "PoisonedClient(" + clientId() + ", " + attack + ")";
    }
}
