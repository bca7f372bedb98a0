package org.fedgen.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.Server;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sampling.ClientSampler;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.gan.GanConfig;
import org.fedgen.models.gan.MdGanClient;
import org.fedgen.models.gan.MdGanServerStep;
import org.fedgen.models.gan.MdGanTrainer;
import org.fedgen.models.optim.WeightAverage;

/**
 * Wires an MD-GAN run on the bundled digits into the {@link Server} round loop: the server's {@link MdGanTrainer}
 * drives one in-process {@link MdGanClient} per client shard. MD-GAN exchanges data every iteration rather than once
 * per round, so its clients take part through the round's server step ({@link MdGanServerStep}: a block of
 * {@code localSteps} iterations, or {@code localEpochs} MD-GAN epochs) and not through the fit phase, which samples
 * no client. The aggregator is a part policy with a server-trained generator and local-only discriminators, so the
 * run has the round loop's listeners, evaluation and checkpoint like every topology.
 */
final class MdGanRun {
    private MdGanRun() {
    }

    /**
     * A server builder for the run; the caller adds evaluation and listeners.
     *
     * @param aggregator the recipe's MD-GAN part policy
     */
    static Server.Builder server(RunConfig o, GanRecipe recipe, List<Dataset> shards, Aggregator aggregator) {
        GanSettings gan = recipe.settings();
        GanConfig config = recipe.config();
        List<MdGanClient> clients = new ArrayList<>();
        List<ClientProxy> proxies = new ArrayList<>();
        for (int k = 0; k < shards.size(); k++) {
            clients.add(new MdGanClient(config, shards.get(k), o.learningRate(),
                    Seeds.derive(o.seed(), "mdgan-client-init", k)));
            proxies.add(new ExchangeOnly(k));
        }
        MdGanTrainer trainer = new MdGanTrainer(config, clients, o.batchSize(), gan.effectiveMdLocalSteps(),
                gan.swapEpochs(), o.learningRate(), Seeds.derive(o.seed(), "mdgan"));
        WeightAverage average = gan.generatorAverageDecay() > 0 ? new WeightAverage(gan.generatorAverageDecay())
                : null;
        MdGanServerStep round = new MdGanServerStep(trainer, clients, iterationsPerRound(o, shards), average);
        return Server.builder().initialState(round.initialState()).clients(proxies).aggregator(aggregator)
                .sampler(new NoClients()).serverStep(round).rounds(o.rounds()).seed(o.seed())
                .maxFailedRounds(o.maxFailedRounds());
    }

    /** {@code localSteps} iterations, or {@code localEpochs} · ⌈mean n_k / (B · max(L, 1))⌉. */
    static long iterationsPerRound(RunConfig o, List<Dataset> shards) {
        if (o.localSteps() > 0) {
            return o.localSteps();
        }
        GanSettings gan = (GanSettings) o.model();
        double meanN = shards.stream().mapToInt(Dataset::size).average().orElse(1);
        long perEpoch = Math.max(1, (long) Math.ceil(meanN / ((double) o.batchSize()
                * Math.max(1, gan.effectiveMdLocalSteps()))));
        return o.localEpochs() * perEpoch;
    }

    /** The fit phase of an MD-GAN round: nobody (the clients work in the server step's exchange). */
    private static final class NoClients implements ClientSampler {
        @Override
        public List<Integer> sample(List<Integer> clientIds, long round, SplittableRandom random) {
            return List.of();
        }

        @Override
        public double expectedClients(int populationSize) {
            return 0;
        }

        @Override
        public String toString() {
            return "none (MD-GAN clients take part in the server step's exchange)";
        }
    }

    /** The server's handle on an MD-GAN client in the round loop; never sampled for a fit. */
    private record ExchangeOnly(int clientId) implements ClientProxy {
        @Override
        public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("MD-GAN client " + clientId
                    + " trains only through the server step's exchange"));
        }

        @Override
        public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
            return CompletableFuture.completedFuture(Map.of());
        }
    }
}
