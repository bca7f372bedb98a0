package org.example.consumer;

import java.util.List;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.Simulation;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's Java quick start: a tiny VAE (16-32-4) trained by federated rounds over synthetic clients with this
 * project's own {@link UniformMean} aggregator. Run with arguments {@code [rounds] [clients] [workers]}.
 */
public final class QuickStart {
    private static final Logger LOG = LoggerFactory.getLogger(QuickStart.class);

    /** The model every client and the evaluation use. */
    static final VaeConfig CONFIG = VaeConfig.builder().inputDim(SyntheticBits.DIM).hiddenDim(32).latentDim(4).build();

    private QuickStart() {
    }

    /** Trains {@code rounds} rounds over {@code shards} on {@code workers} threads and returns the global model. */
    public static ModelState train(List<Dataset> shards, int rounds, int workers, RoundListener progress) {
        try (Simulation sim = Simulation.builder()
                .model(() -> new Vae(CONFIG))                       // one model instance per worker thread
                .clientData(shards).workers(workers)
                .aggregator(new UniformMean())
                .rounds(rounds).seed(42)
                .fitInstructions(FitInstructions.builder().localEpochs(2).batchSize(32).learningRate(1e-2).build())
                .listener(progress)
                .build()) {
            return sim.run();
        }
    }

    /** Held-out ELBO (nats per row, higher is better) of a global model. */
    public static double elbo(ModelState global, Dataset heldOut) {
        Vae vae = new Vae(CONFIG);
        vae.load(global);
        return vae.evaluate(heldOut, 1).get("elbo");
    }

    /**
     * Arguments: rounds (default 5), clients (default 4), workers (default 2).
     *
     * @throws IllegalArgumentException if an argument is not a positive integer
     */
    public static void main(String[] args) {
        int rounds = positive(args, 0, "rounds", 5);
        int clients = positive(args, 1, "clients", 4);
        int workers = positive(args, 2, "workers", 2);
        SyntheticBits data = new SyntheticBits(7);
        ModelState global = train(data.shards(clients, 200, 11), rounds, workers,
                r -> LOG.info("round {}: client loss {}", r.round(), r.metric("client_loss")));
        LOG.info("held-out ELBO {}", elbo(global, data.mixed(400, 13)));
    }

    private static int positive(String[] args, int i, String name, int fallback) {
        if (args.length <= i) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new IllegalArgumentException(name + " must be a positive integer, got '" + args[i] + "'");
    }
}
