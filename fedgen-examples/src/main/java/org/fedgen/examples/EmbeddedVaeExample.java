package org.fedgen.examples;

import java.util.List;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.data.DirichletPartitioner;
import org.fedgen.core.sim.Simulation;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fedgen embedded in your own code: a federated VAE over label-skewed clients of the bundled digits.
 * Run: {@code java -cp fedgen-examples/target/fedgen.jar org.fedgen.examples.EmbeddedVaeExample [rounds] [clients]
 * [workers]} (defaults 10, 10, 2).
 */
public final class EmbeddedVaeExample {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedVaeExample.class);

    private EmbeddedVaeExample() {
    }

    /**
     * Arguments: rounds, clients, workers.
     *
     * @throws IllegalArgumentException if an argument is not a positive integer
     */
    public static void main(String[] args) {
        int rounds = ExampleArgs.positive(args, 0, "rounds", 10);
        int clients = ExampleArgs.positive(args, 1, "clients", 10);
        int workers = ExampleArgs.positive(args, 2, "workers", 2);
        Dataset pool = Digits.bundled().range(0, 7000);
        List<Dataset> shards = new DirichletPartitioner(0.5).partition(pool.labels(), clients, 42).apply(pool);
        VaeConfig config = VaeConfig.builder().build();                 // 784-400-20, Adam
        try (Simulation sim = Simulation.builder()
                .model(() -> new Vae(config))                           // one model per worker thread
                .clientData(shards).workers(workers)
                .aggregator(new FedAvg())
                .rounds(rounds).seed(42)
                .fitInstructions(FitInstructions.builder().localEpochs(2).batchSize(64).learningRate(1e-3).build())
                .listener(r -> LOG.info("round {}: loss {}", r.round(), r.metric("client_loss")))
                .build()) {
            ModelState global = sim.run();
            Vae vae = new Vae(config);
            vae.load(global);
            LOG.info("held-out ELBO {}", vae.evaluate(Digits.bundled().range(7000, 8000), 1).get("elbo"));
        }
    }
}
