package org.fedgen.examples.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import org.fedgen.core.Aggregator;
import org.fedgen.core.GlobalEvaluator;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.FedProx;
import org.fedgen.core.aggregate.FedSgd;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.data.DirichletPartitioner;
import org.fedgen.core.data.IidPartitioner;
import org.fedgen.core.data.Partition;
import org.fedgen.core.data.Partitioner;
import org.fedgen.core.data.PoolShards;
import org.fedgen.core.data.ShardPartitioner;
import org.fedgen.core.io.MetricsCsv;
import org.fedgen.core.io.CheckpointListener;
import org.fedgen.core.metrics.KernelMmd;
import org.fedgen.core.sampling.ClientSampler;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.sim.Simulation;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.image.ImageGrid;
import org.fedgen.models.metrics.DigitsClassifier;
import org.fedgen.models.metrics.DigitsSplit;
import org.fedgen.models.metrics.SampleQuality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One federated training run on the bundled digits, as the CLI configures it: partition the training pool, train, and
 * write metrics.csv, sample grids, an IDX sample file and a checkpoint into the output directory.
 */
public final class FederatedRun {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedRun.class);

    private final RunOptions o;
    private final RoundListener progress;

    public FederatedRun(RunOptions options, RoundListener progress) {
        this.o = options;
        this.progress = progress;
    }

    /**
     * The data and model of a run: per-client training shards of the training pool and the clients' own held-out
     * examples (for federated evaluation), the held-out digits of the server, the model recipe.
     */
    record Setup(List<Dataset> shards, List<Dataset> clientEval, Dataset heldOut, ModelRecipe recipe) {
    }

    /** Training throughput of one timed run. */
    public record Timing(long steps, double seconds, ModelState finalState) {
        public double stepsPerSecond() {
            return steps / seconds;
        }
    }

    static Setup setup(RunOptions o) {
        if (o.model == RunOptions.ModelKind.gan) {
            GanDefaults.apply(o);
            o.gan.validate();
        }
        o.validate();
        Dataset pool = DigitsSplit.train();
        Dataset heldOut = DigitsSplit.heldOut();
        Partition partition = o.partition == RunOptions.PartitionKind.pool ? null
                : partitioner(o).partition(pool.labels(), o.clients, Seeds.derive(o.seed, "partition"));
        List<Dataset> train = new ArrayList<>();
        List<Dataset> eval = new ArrayList<>();
        for (Dataset shard : partition != null ? partition.apply(pool) : poolShards(o, pool)) {
            // The last tenth of each shard (of shards with at least 10 examples) stays with its client for
            // federated evaluation; the split is positional because shards are already in random order.
            int keep = shard.size() >= 10 ? shard.size() - shard.size() / 10 : shard.size();
            train.add(shard.range(0, keep));
            eval.add(shard.range(keep, shard.size()));
        }
        if (o.centralized) {
            Dataset union = Dataset.concat(train);
            LOG.info("centralized baseline: one client holds the union of the {} clients' training data ({} digits)",
                    o.clients, union.size());
            return new Setup(List.of(union), List.of(Dataset.concat(eval)), heldOut, recipe(o, List.of(union)));
        }
        if (partition != null) {
            LOG.info("partition {}: client sizes {}, mean label distance {}", o.partition, partition.sizes(),
                    String.format("%.3f", partition.meanLabelDistance()));
        }
        return new Setup(train, eval, heldOut, recipe(o, train));
    }

    /**
     * Server-side evaluation: the family's own metrics (e.g. held-out ELBO) and, unless disabled, sample quality of
     * {@code --quality-samples} samples against the held-out digits on the shipped classifier's features.
     */
    static GlobalEvaluator evaluator(RunOptions o, Setup s) {
        SampleQuality quality = o.qualitySamples > 0 ? SampleQuality.against(s.heldOut(), DigitsClassifier.load())
                : null;
        return (global, round) -> {
            Map<String, Double> m = new LinkedHashMap<>(s.recipe().evaluate(global, s.heldOut(),
                    Seeds.derive(o.seed, "eval", round)));
            if (quality != null) {
                m.putAll(quality.evaluate(s.recipe().sample(global, o.qualitySamples,
                        Seeds.derive(o.seed, "quality"))));
            }
            return m;
        };
    }

    /**
     * The simulation of a run with the given aggregator. The recipe's aggregator hook is called once per run by the
     * caller: a recipe may keep the aggregator it made (the DDPM's EMA) to sample from it.
     */
    private static Simulation.Builder simulation(RunOptions o, Setup s, int workers, Aggregator aggregator) {
        ClientSampler sampler = o.clientsPerRound == 0 ? FixedSizeSampler.all()
                : FixedSizeSampler.count(o.clientsPerRound);
        return Simulation.builder().model(s.recipe().factory()).clientData(s.shards())
                .clientEvalData(s.clientEval()).workers(workers)
                .aggregator(aggregator).serverStep(s.recipe().serverStep(o)).sampler(sampler).rounds(o.rounds).seed(o.seed)
                .fitInstructions(s.recipe().fitDefaults(o).build())
                .generatorScore(KernelMmd.medianHeuristic()::mmd2).streamingWindow(o.streaming ? 2 * workers : 0);
    }

    /**
     * Trains with every client in every round and no evaluation, timing the rounds after {@code warmupRounds}.
     * Steps are counted from the instructions: each client runs localSteps, or localEpochs · ⌈n_k / B⌉ steps.
     */
    public static Timing timeTraining(RunOptions o, int workers, int warmupRounds) {
        int timedRounds = o.rounds;
        o.clientsPerRound = 0;
        Setup s = setup(o);
        long stepsPerRound = 0;
        for (Dataset d : s.shards()) {
            stepsPerRound += o.localSteps > 0 ? o.localSteps
                    : (long) o.localEpochs * ((d.size() + o.batchSize - 1) / o.batchSize);
        }
        long[] t0 = {0};
        RoundListener clock = r -> {
            if (r.round() == warmupRounds) {
                t0[0] = System.nanoTime();
            }
        };
        o.rounds = warmupRounds + timedRounds;
        ModelState last;
        long start = System.nanoTime();
        try (Simulation sim = simulation(o, s, workers, aggregator(o, s.recipe())).listener(clock).build()) {
            last = sim.run();
        } finally {
            o.rounds = timedRounds;
        }
        long begin = warmupRounds == 0 ? start : t0[0];
        return new Timing(stepsPerRound * timedRounds, (System.nanoTime() - begin) / 1e9, last);
    }

    /** Runs and returns the output directory. */
    public Path run() throws IOException {
        if (o.model == RunOptions.ModelKind.gan && o.gan.topology == GanTopology.MDGAN) {
            return new MdGanRun(o, progress).run();
        }
        Setup s = setup(o);
        Path out = o.outputDirectory();
        Files.createDirectories(out);
        ModelRecipe recipe = s.recipe();
        List<Map<String, Double>> rows = new ArrayList<>();
        Path csv = out.resolve("metrics.csv");
        RoundListener writer = r -> {
            rows.add(r.metrics());
            try {
                MetricsCsv.write(csv, rows);
                if (r.round() % o.evalEvery == 0 || r.round() == o.rounds) {
                    ImageGrid.write(out.resolve(String.format("samples-round-%04d.png", r.round())),
                            recipe.sample(r.global(), 64, Seeds.derive(o.seed, "grid")), 28, 28);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        ModelState finalState;
        DpRun dp = new DpRun(o, recipe, s.shards());
        Aggregator aggregator = dp.aggregator(aggregator(o, recipe));
        try (Simulation sim = dp.configure(simulation(o, s, o.workers, aggregator))
                .listener(new CheckpointListener(out.resolve("checkpoint.fgs"), aggregator, o.evalEvery))
                .evaluator(evaluator(o, s), o.evalEvery)
                .federatedEvaluation(o.evalEvery)
                .listener(writer).listener(progress).build()) {
            finalState = sim.run();
        }
        ImageGrid.write(out.resolve("samples.png"), recipe.sample(finalState, 64, Seeds.derive(o.seed, "grid")), 28,
                28);
        if (o.samples > 0) {
            Digits.writeIdx(out.resolve("samples-idx3-ubyte"),
                    recipe.sample(finalState, o.samples, Seeds.derive(o.seed, "samples")), 28, 28);
        }
        return out;
    }

    private static Partitioner partitioner(RunOptions o) {
        return switch (o.partition) {
            case dirichlet -> new DirichletPartitioner(o.alpha);
            case iid -> new IidPartitioner();
            case shards -> new ShardPartitioner(o.labelsPerClient);
            case pool -> throw new IllegalStateException("the pool split is drawn with replacement, not partitioned");
        };
    }

    private static List<Dataset> poolShards(RunOptions o, Dataset pool) {
        LOG.info("pool split: {} clients each draw {} of the {} training digits with replacement", o.clients,
                o.shardSize, pool.size());
        List<Dataset> shards = new ArrayList<>(o.clients);
        for (int[] idx : PoolShards.draw(pool.size(), o.clients, o.shardSize, Seeds.derive(o.seed, "partition"))) {
            shards.add(pool.subset(idx));
        }
        return shards;
    }

    /** The model's recipe; MD-GAN's client codes are weighted by the clients' training examples. */
    private static ModelRecipe recipe(RunOptions o, List<Dataset> train) {
        return switch (o.model) {
            case vae -> new VaeRecipe();
            case ddpm -> new DdpmRecipe(o.ddpm, o.qualitySamples);
            case gan -> new GanRecipe(o, o.gan.clientCodes
                    ? train.stream().mapToDouble(Dataset::size).toArray() : new double[0]);
        };
    }

    /** The options' aggregation rule, routed over the model's parts by its recipe. */
    static Aggregator aggregator(RunOptions o, ModelRecipe recipe) {
        Aggregator base = switch (o.aggregator) {
            case fedavg -> new FedAvg();
            case fedsgd -> new FedSgd(o.serverLearningRate);
            case fedprox -> new FedProx(o.mu);
            case mmd -> PartPolicy.builder()
                    .route(o.mmdAggregator(), recipe.generatorPart())
                    .otherwise(new FedAvg()).build();
        };
        return recipe.aggregator(o, base);
    }
}
