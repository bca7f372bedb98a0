package org.fedgen.models.gan;

import java.util.Objects;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.ServerStep;

/**
 * DP-FedAvg-GAN's server step: after the clients' discriminator updates are aggregated, trains the generator for
 * n_gen steps against the new discriminator. It holds a {@link GeneratorTrainer} and nothing else, so it can reach
 * no client data (the trainer's API takes parameters and a seed only); the generator is therefore post-processing
 * of the aggregated discriminator, and any DP guarantee on the discriminator carries over to it.
 */
public final class GeneratorServerStep implements ServerStep {
    private final GeneratorTrainer trainer;

    /** @param trainer the generator's trainer (configuration, n_gen, batch size, learning rate) */
    public GeneratorServerStep(GeneratorTrainer trainer) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
    }

    /** Trains the generator of the aggregated state with the round's server seed; reports {@code server_g_ms}. */
    @Override
    public ModelState apply(ModelState aggregated, RoundContext context) {
        long t0 = System.nanoTime();
        ModelState next = trainer.train(aggregated, context.seed());
        context.metric("server_g_ms", (System.nanoTime() - t0) / 1e6);
        return next;
    }
}
