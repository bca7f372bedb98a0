package org.fedgen.examples.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.GlobalEvaluator;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.io.MetricsCsv;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanConfig;
import org.fedgen.models.gan.MdGanClient;
import org.fedgen.models.gan.MdGanIteration;
import org.fedgen.models.gan.MdGanTraffic;
import org.fedgen.models.gan.MdGanTrainer;
import org.fedgen.models.image.ImageGrid;
import org.fedgen.models.optim.WeightAverage;

/**
 * An MD-GAN run on the bundled digits: the server's {@link MdGanTrainer} drives one in-process {@link MdGanClient}
 * per client shard. MD-GAN exchanges data every iteration, so it has no FL round loop; a "round" here is a block of
 * iterations ({@code --local-steps}, or {@code --local-epochs} MD-GAN epochs), after which the same outputs as a
 * federated run are written (each client trains on its shard's training part, as in a federated run): metrics.csv (with the round's traffic by direction: {@code bytes_down} generated batches,
 * {@code bytes_up} feedback, {@code bytes_peer} swapped discriminators), sample grids and samples-idx3-ubyte.
 */
public final class MdGanRun {
    private final RunOptions o;
    private final RoundListener progress;

    public MdGanRun(RunOptions options, RoundListener progress) {
        this.o = options;
        this.progress = progress;
    }

    /** Runs and returns the output directory. */
    public Path run() throws IOException {
        FederatedRun.Setup s = FederatedRun.setup(o);
        GanRecipe recipe = (GanRecipe) s.recipe();
        GanConfig config = recipe.config();
        List<MdGanClient> clients = new ArrayList<>();
        for (int k = 0; k < s.shards().size(); k++) {
            clients.add(new MdGanClient(config, s.shards().get(k), o.learningRate,
                    Seeds.derive(o.seed, "mdgan-client-init", k)));
        }
        MdGanTrainer trainer = new MdGanTrainer(config, clients, o.batchSize, o.gan.effectiveMdLocalSteps(), o.gan.swapEpochs,
                o.learningRate, Seeds.derive(o.seed, "mdgan"));
        long iterationsPerRound = iterationsPerRound(s.shards());
        GlobalEvaluator evaluator = FederatedRun.evaluator(o, s);
        Path out = o.outputDirectory();
        Files.createDirectories(out);
        Path csv = out.resolve("metrics.csv");
        List<Map<String, Double>> rows = new ArrayList<>();
        ModelState state = null;
        WeightAverage average = o.gan.generatorAverageDecay > 0 ? new WeightAverage(o.gan.generatorAverageDecay)
                : null;
        for (int round = 1; round <= o.rounds; round++) {
            long t0 = System.nanoTime();
            MdGanTraffic traffic = MdGanTraffic.NONE;
            double gLoss = 0;
            double dLoss = 0;
            int swaps = 0;
            for (long i = 0; i < iterationsPerRound; i++) {
                MdGanIteration it = trainer.iterate();
                traffic = traffic.plus(it.traffic());
                gLoss += it.generatorLoss() / iterationsPerRound;
                dLoss += it.discriminatorLoss() / iterationsPerRound;
                swaps += it.swapped() ? 1 : 0;
                if (average != null) {
                    trainer.averageGenerator(average);
                }
            }
            state = ModelState.builder(round).part(Gan.GENERATOR, average != null ? average.average()
                    : trainer.generator())
                    .part(Gan.DISCRIMINATOR, clients.get(0).exportDiscriminator()).build();
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("round", (double) round);
            m.put("sampled", (double) clients.size());
            m.put("accepted", (double) clients.size());
            m.put("iterations", (double) trainer.iteration());
            m.put("client_loss", dLoss);
            m.put("client_d_loss", dLoss);
            m.put("client_g_loss", gLoss);
            m.put("swaps", (double) swaps);
            m.put("bytes_down", (double) traffic.serverToClients());
            m.put("bytes_up", (double) traffic.clientsToServer());
            m.put("bytes_peer", (double) traffic.clientToClient());
            boolean due = round % o.evalEvery == 0 || round == o.rounds;
            if (due) {
                m.putAll(evaluator.evaluate(state, round));
            }
            m.put("wall_ms", (System.nanoTime() - t0) / 1e6);
            rows.add(m);
            MetricsCsv.write(csv, rows);
            if (due) {
                ImageGrid.write(out.resolve(String.format("samples-round-%04d.png", round)),
                        recipe.sample(state, 64, Seeds.derive(o.seed, "grid")), 28, 28);
            }
            progress.onRoundEnd(new RoundResult(round, state, m, Map.of()));
        }
        progress.onRunEnd(state);
        ImageGrid.write(out.resolve("samples.png"), recipe.sample(state, 64, Seeds.derive(o.seed, "grid")), 28, 28);
        if (o.samples > 0) {
            Digits.writeIdx(out.resolve("samples-idx3-ubyte"),
                    recipe.sample(state, o.samples, Seeds.derive(o.seed, "samples")), 28, 28);
        }
        return out;
    }

    /** {@code --local-steps} iterations, or {@code --local-epochs} · ⌈mean n_k / (B · max(L, 1))⌉. */
    private long iterationsPerRound(List<Dataset> shards) {
        if (o.localSteps > 0) {
            return o.localSteps;
        }
        double meanN = shards.stream().mapToInt(Dataset::size).average().orElse(1);
        long perEpoch = Math.max(1, (long) Math.ceil(meanN / ((double) o.batchSize * Math.max(1, o.gan.effectiveMdLocalSteps()))));
        return o.localEpochs * perEpoch;
    }
}
