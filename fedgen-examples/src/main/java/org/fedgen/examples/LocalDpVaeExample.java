package org.fedgen.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.InProcessClientProxy;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.Server;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.data.IidPartitioner;
import org.fedgen.core.sim.ModelClient;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;
import org.fedgen.privacy.LocalDpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local differential privacy through the Java API (docs/privacy.md shows its core): every client clips the delta of
 * all the parts it sends to S and adds secure N(0, (zS)²) noise before anything leaves it, so the server sees only
 * noised deltas, and reports its own (ε, δ) (Gaussian mechanism with sensitivity 2S, composed over its rounds). Each
 * silo owns its model. Run: {@code java -cp fedgen-examples/target/fedgen.jar org.fedgen.examples.LocalDpVaeExample
 * [rounds] [clients] [workers]}.
 */
public final class LocalDpVaeExample {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDpVaeExample.class);

    private LocalDpVaeExample() {
    }

    /**
     * Arguments: rounds (default 5), clients (default 5), workers (default 2).
     *
     * @throws IllegalArgumentException if an argument is not a positive integer
     */
    public static void main(String[] args) {
        int rounds = ExampleArgs.positive(args, 0, "rounds", 5);
        int numClients = ExampleArgs.positive(args, 1, "clients", 5);
        int workers = ExampleArgs.positive(args, 2, "workers", 2);
        Dataset pool = Digits.bundled().range(0, 7000);
        List<Dataset> shards = new IidPartitioner().partition(pool.labels(), numClients, 42).apply(pool);
        VaeConfig config = VaeConfig.builder().build();
        ExecutorService executor = Executors.newFixedThreadPool(workers);
        List<ClientProxy> clients = new ArrayList<>();
        List<LocalDpClient> privatisedClients = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            ModelClient silo = new ModelClient(i, new Vae(config), shards.get(i), null, null, Set.of());
            // Clip the delta of every part the client sends (encoder and decoder together) to S = 1 and add
            // secure noise of std z·S = 0.01 per coordinate before sending.
            LocalDpClient privatised = LocalDpClient.builder(silo).clipNorm(1.0).noiseMultiplier(0.01).delta(1e-5)
                    .build();
            privatisedClients.add(privatised);
            clients.add(new InProcessClientProxy(privatised, executor));
        }
        Server server = Server.builder().initialState(new Vae(config).initialize(42)).clients(clients)
                .aggregator(new FedAvg()).rounds(rounds).seed(42)
                // LocalDpClient sends deltas: ask for them so the server accepts its updates.
                .fitInstructions(FitInstructions.builder().payloadKind(PayloadKind.DELTA).localEpochs(1)
                        .batchSize(64).learningRate(1e-3).build())
                .listener(r -> LOG.info("round {}: local-DP epsilon of the clients so far {}", r.round(),
                        r.metric("client_ldp_epsilon")))
                .build();
        ModelState global = server.run();
        executor.shutdown();
        Vae vae = new Vae(config);
        vae.load(global);
        LOG.info("held-out ELBO {}", vae.evaluate(Digits.bundled().range(7000, 8000), 1).get("elbo"));
        for (LocalDpClient c : privatisedClients) {
            // Each client's own guarantee: Gaussian mechanism, sensitivity 2S, composed over its rounds.
            LOG.info("client {}: epsilon {} at delta {} over {} rounds (per round: epsilon {})", c.id(),
                    c.spent().epsilon(), 1e-5, c.rounds(), c.roundGuarantee().epsilon());
        }
    }
}
