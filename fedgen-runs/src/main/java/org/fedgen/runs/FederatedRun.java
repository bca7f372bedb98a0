package org.fedgen.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.GlobalEvaluator;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.RoundListener;
import org.fedgen.core.Server;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.FedProx;
import org.fedgen.core.aggregate.FedSgd;
import org.fedgen.core.aggregate.MmdAggregator;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.DirichletPartitioner;
import org.fedgen.core.data.IidPartitioner;
import org.fedgen.core.data.Partition;
import org.fedgen.core.data.Partitioner;
import org.fedgen.core.data.PoolShards;
import org.fedgen.core.data.ShardPartitioner;
import org.fedgen.core.io.Checkpoint;
import org.fedgen.core.io.CheckpointListener;
import org.fedgen.core.metrics.KernelMmd;
import org.fedgen.core.sampling.ClientSampler;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.sim.Simulation;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.models.metrics.DigitsClassifier;
import org.fedgen.models.metrics.DigitsSplit;
import org.fedgen.models.metrics.SampleQuality;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecureAggregation;
import org.fedgen.runs.output.MetricsCsvListener;
import org.fedgen.runs.output.MetricsPlotListener;
import org.fedgen.runs.output.SampleFileListener;
import org.fedgen.runs.output.SampleGridListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One federated training run on the bundled digits, as a {@link RunConfig} describes it: partition the training pool,
 * train through the {@link Server} round loop, and write metrics.csv, metrics.png, sample grids, an IDX sample file and
 * a checkpoint into the output directory. Every topology, MD-GAN included, runs through the same loop and outputs.
 */
public final class FederatedRun {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedRun.class);

    /** The files a run writes into its directory; any of them means the directory holds a run. */
    static final String CHECKPOINT = "checkpoint.fgs";
    static final String CONFIG = "config.json";
    static final String METRICS = "metrics.csv";

    private final RunConfig o;
    private final List<RoundListener> listeners;
    private final boolean overwrite;
    /** The checkpoint this run continues from, or null for a fresh run. */
    private final Checkpoint resumeFrom;

    /** @param listeners notified after the run's own outputs (e.g. a progress display) */
    public FederatedRun(RunConfig config, RoundListener... listeners) {
        this(config, false, null, List.of(listeners));
    }

    private FederatedRun(RunConfig config, boolean overwrite, Checkpoint resumeFrom, List<RoundListener> listeners) {
        this.o = Objects.requireNonNull(config, "config");
        this.overwrite = overwrite;
        this.resumeFrom = resumeFrom;
        this.listeners = listeners;
    }

    /**
     * The run recorded in {@code dir}, continuing from its checkpoint with the configuration the checkpoint records.
     * metrics.csv keeps exactly the rows of the checkpoint's rounds (a row written after it, by a run killed before
     * its checkpoint, is dropped and computed again). The checkpoint holds the whole run state
     * ({@link Simulation#state()}): the aggregator chain's (server optimizer moments, EMA, a DP run's privacy ledger
     * and adaptive clip norm, so ε after the resume includes every round before it), the MMD aggregator's adoption
     * decisions, the parts clients keep (local-only parts, IFL-GAN clients' own generators) and, for MD-GAN, the
     * server's generator and Adam state and every client's discriminator and Adam state. Everything else a round
     * draws is derived from the run seed and the round.
     *
     * @param rounds    total rounds to end at, at least the recorded ones; null = the recorded rounds
     * @param listeners as for the constructor
     * @throws UncheckedIOException     if the checkpoint cannot be read, naming it
     * @throws IllegalArgumentException naming the file if it records no configuration, holds non-finite values, was
     *                                  made from another data split, or {@code rounds} would shorten the run
     */
    public static FederatedRun resume(Path dir, Integer rounds, RoundListener... listeners) {
        Path file = dir.resolve(CHECKPOINT);
        Checkpoint cp;
        try {
            cp = TrainedModel.readFinite(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + dir + ": " + e.getMessage(), e);
        }
        RunConfig recorded = RunProvenance.fromJson(cp.provenance(), file.toString()).config();
        if (rounds != null && rounds < recorded.rounds()) {
            throw new IllegalArgumentException("--rounds " + rounds + " would shorten the run in " + dir
                    + ", which records rounds " + recorded.rounds() + "; --rounds may only extend it");
        }
        RunConfig.Builder b = rounds == null ? recorded.toBuilder() : recorded.toBuilder().rounds(rounds);
        // The run continues where it is now, even if its directory was moved since it was recorded.
        RunConfig o = recorded.outputDirectory().toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())
                ? b.build() : b.out(dir).build();
        return new FederatedRun(o, false, cp, List.of(listeners));
    }

    /**
     * This run, allowed to replace a run already in its output directory (its outputs are deleted first); without
     * it, {@link #run()} refuses such a directory.
     */
    public FederatedRun overwriting() {
        return new FederatedRun(o, true, resumeFrom, listeners);
    }

    /**
     * The data and model of a run: per-client training shards of the training pool and the clients' own held-out
     * examples (for federated evaluation), the held-out digits of the server, the model recipe.
     */
    record Setup(List<Dataset> shards, List<Dataset> clientEval, Dataset heldOut, ModelRecipe recipe) {
    }

    /** Training throughput of one timed run. */
    public record Timing(long steps, double seconds, ModelState finalState) {
        /** Local steps per second. */
        public double stepsPerSecond() {
            return steps / seconds;
        }
    }

    static Setup setup(RunConfig o) {
        Dataset pool = DigitsSplit.train();
        Dataset heldOut = DigitsSplit.heldOut();
        Partition partition = o.partition() == PartitionKind.pool ? null
                : partitioner(o).partition(pool.labels(), o.clients(), Seeds.derive(o.seed(), "partition"));
        List<Dataset> train = new ArrayList<>();
        List<Dataset> eval = new ArrayList<>();
        for (Dataset shard : partition != null ? partition.apply(pool) : poolShards(o, pool)) {
            // The last tenth of each shard (of shards with at least 10 examples) stays with its client for
            // federated evaluation; the split is positional because shards are already in random order.
            int keep = shard.size() >= 10 ? shard.size() - shard.size() / 10 : shard.size();
            train.add(shard.range(0, keep));
            eval.add(shard.range(keep, shard.size()));
        }
        if (o.centralized()) {
            Dataset union = Dataset.concat(train);
            LOG.info("centralized baseline: one client holds the union of the {} clients' training data ({} digits)",
                    o.clients(), union.size());
            return new Setup(List.of(union), List.of(Dataset.concat(eval)), heldOut, recipe(o, List.of(union)));
        }
        if (o.dp() != null) {
            // Shard sizes are client data: a private run does not log them.
            LOG.info("partition {}: {} clients (sizes withheld in a DP run)", o.partition(), o.clients());
        } else if (partition != null) {
            LOG.info("partition {}: client sizes {}, mean label distance {}", o.partition(), partition.sizes(),
                    String.format("%.3f", partition.meanLabelDistance()));
        }
        List<Dataset> poisoned = o.robust().poisonedShards(train, o.seed(), conditional(o.model()));
        return new Setup(poisoned, eval, heldOut, recipe(o, poisoned));
    }

    private static boolean conditional(ModelSettings m) {
        return m instanceof GanSettings g && g.conditional() || m instanceof DdpmSettings d && d.conditional();
    }

    /**
     * Server-side evaluation: the family's own metrics (e.g. held-out ELBO) and, unless disabled, sample quality of
     * the configured number of samples against the held-out digits on the shipped classifier's features.
     */
    static GlobalEvaluator evaluator(RunConfig o, Setup s) {
        SampleQuality quality = o.qualitySamples() > 0 ? SampleQuality.against(s.heldOut(), DigitsClassifier.load())
                : null;
        return (global, round) -> {
            Map<String, Double> m = new LinkedHashMap<>(s.recipe().evaluate(global, s.heldOut(),
                    Seeds.derive(o.seed(), "eval", round)));
            if (quality != null) {
                m.putAll(quality.evaluate(s.recipe().sample(global, o.qualitySamples(),
                        Seeds.derive(o.seed(), "quality"))));
            }
            m.putAll(o.robust().backdoorSuccess(s.recipe(), global, Seeds.derive(o.seed(), "backdoor")));
            return m;
        };
    }

    /**
     * The simulation of a run with the given aggregator. The recipe's aggregator hook is called once per run by the
     * caller: a recipe may keep the aggregator it made (the DDPM's EMA) to sample from it.
     */
    private static Simulation.Builder simulation(RunConfig o, Setup s, int workers, Aggregator aggregator) {
        ClientSampler sampler = o.clientsPerRound() == 0 ? FixedSizeSampler.all()
                : FixedSizeSampler.count(o.clientsPerRound());
        return Simulation.builder().model(s.recipe().factory()).clientData(s.shards())
                .clientEvalData(s.clientEval()).workers(workers)
                .aggregator(aggregator).serverStep(s.recipe().serverStep(o)).sampler(sampler).rounds(o.rounds())
                .seed(o.seed()).fitInstructions(s.recipe().fitDefaults(o).build())
                .generatorScore(KernelMmd.medianHeuristic()::mmd2).maxFailedRounds(o.maxFailedRounds())
                .maxClientWeight(o.robust().maxClientWeight())
                .clientLayer(o.robust().clientWrapper(s.shards().size(), o.seed()))
                .streamingWindow(o.streaming() ? 2 * workers : 0);
    }

    /**
     * Trains with every client in every round and no evaluation, timing the rounds after {@code warmupRounds}.
     * Steps are counted from the instructions: each client runs localSteps, or localEpochs · ⌈n_k / B⌉ steps.
     *
     * @throws IllegalArgumentException for an MD-GAN configuration, which has no client local steps to count
     */
    public static Timing timeTraining(RunConfig config, int workers, int warmupRounds) {
        if (config.model() instanceof GanSettings g && g.topology() == GanTopology.MDGAN) {
            throw new IllegalArgumentException("timing counts client local steps, which mdgan does not have");
        }
        RunConfig o = config.toBuilder().clientsPerRound(0).rounds(warmupRounds + config.rounds()).build();
        Setup s = setup(o);
        long stepsPerRound = 0;
        for (Dataset d : s.shards()) {
            stepsPerRound += o.localSteps() > 0 ? o.localSteps()
                    : (long) o.localEpochs() * ((d.size() + o.batchSize() - 1) / o.batchSize());
        }
        long[] t0 = {0};
        RoundListener clock = r -> {
            if (r.round() == warmupRounds) {
                t0[0] = System.nanoTime();
            }
        };
        ModelState last;
        long start = System.nanoTime();
        try (Simulation sim = simulation(o, s, workers, aggregator(o, s.recipe())).listener(clock).build()) {
            last = sim.run();
        }
        long begin = warmupRounds == 0 ? start : t0[0];
        return new Timing(stepsPerRound * config.rounds(), (System.nanoTime() - begin) / 1e9, last);
    }

    /**
     * Runs and returns the output directory.
     *
     * @throws IllegalArgumentException naming a setting that does not fit the rest of the configuration
     * @throws UncheckedIOException     if the output directory cannot be created or written, naming it
     * @throws org.fedgen.core.RunFailedException if the run stops because no client update could be used
     */
    public Path run() {
        Setup s = setup(o);
        Path out = outputDirectory();
        RunProvenance provenance = new RunProvenance(RunProvenance.currentVersion(),
                RunProvenance.fingerprint(s.shards(), s.clientEval()), o);
        List<Map<String, Double>> earlierRows = List.of();
        if (resumeFrom == null) {
            RunDirectory.prepare(out, overwrite);
        } else {
            RunProvenance was = RunProvenance.fromJson(resumeFrom.provenance(), out.resolve(CHECKPOINT).toString());
            if (!was.dataFingerprint().equals(provenance.dataFingerprint())) {
                throw new IllegalArgumentException(out.resolve(CHECKPOINT) + ": the run's data split ("
                        + was.dataFingerprint() + ") differs from this build's (" + provenance.dataFingerprint()
                        + ")");
            }
            earlierRows = RunDirectory.prepareResume(out, resumeFrom.round());
        }
        ModelRecipe recipe = s.recipe();
        DpRun dp = new DpRun(o, recipe, s.shards());
        Aggregator aggregator = dp.aggregator(aggregator(o, recipe));
        boolean mdgan = recipe instanceof GanRecipe g && g.settings().topology() == GanTopology.MDGAN;
        Simulation.Builder simulation = mdgan ? null : simulation(o, s, o.workers(), aggregator);
        if (o.secureAggregation() != null) {
            aggregator = secureAggregation(o, s, aggregator, simulation);
        }
        if (resumeFrom != null && simulation != null) {
            simulation.initialState(resumeFrom.model());
        }
        List<RoundListener> outputs = new ArrayList<>();
        // metrics.csv before the checkpoint: a crash between the two leaves a row beyond the checkpoint, which a
        // resume drops and recomputes, never a missing row.
        outputs.add(new MetricsCsvListener(out.resolve(METRICS), earlierRows));
        // The run's state is the built server's (or simulation's), which exists only after the listeners are given.
        AtomicReference<Supplier<Map<String, INDArray>>> state = new AtomicReference<>();
        outputs.add(new CheckpointListener(out.resolve(CHECKPOINT), o.checkpointEvery(), provenance.toJson(),
                () -> state.get().get()));
        outputs.add(new SampleGridListener(out, recipe::sample, Seeds.derive(o.seed(), "grid"), o.evalEvery(),
                o.rounds(), 28, 28));
        if (o.samples() > 0) {
            outputs.add(new SampleFileListener(out.resolve("samples-idx3-ubyte"), recipe::sample, o.samples(),
                    Seeds.derive(o.seed(), "samples"), 28, 28));
        }
        outputs.add(new MetricsPlotListener(out.resolve("metrics.png"), earlierRows));
        outputs.addAll(listeners);
        if (mdgan) {
            Server.Builder b = MdGanRun.server(o, (GanRecipe) recipe, s.shards(), aggregator).evaluator(evaluator(o, s),
                    o.evalEvery());
            outputs.forEach(b::listener);
            if (resumeFrom != null) {
                b.initialState(resumeFrom.model());
            }
            Server server = b.build();
            state.set(server::state);
            if (resumeFrom != null) {
                server.restoreState(resumeFrom.aggregatorState());
                LOG.info("resuming {} after round {}", out, resumeFrom.round());
            }
            RunDirectory.writeConfig(out, o);
            server.run();
            return out;
        }
        Simulation.Builder b = dp.configure(simulation, aggregator)
                .evaluator(evaluator(o, s), o.evalEvery())
                .federatedEvaluation(dp.enabled() ? 0 : o.evalEvery());
        outputs.forEach(b::listener);
        try (Simulation sim = b.build()) {
            state.set(sim::state);
            if (resumeFrom != null) {
                sim.restoreState(resumeFrom.aggregatorState());
                LOG.info("resuming {} after round {}", out, resumeFrom.round());
            }
            // Only a run whose every setting was accepted marks the directory as holding a run.
            RunDirectory.writeConfig(out, o);
            sim.run();
        }
        return out;
    }

    /**
     * Replaces the run's aggregator by secure aggregation over it and puts the masking layer in front of every client;
     * returns the new aggregator.
     */
    private static Aggregator secureAggregation(RunConfig o, Setup s, Aggregator aggregator,
            Simulation.Builder simulation) {
        SecureAggregationSettings settings = o.secureAggregation();
        if (o.dp() != null) {
            // Clients clip to the DP clip norm with uniform weights, which DP-FedAvg's noise is calibrated to.
            settings = new SecureAggregationSettings(settings.threshold(), settings.bits(), settings.range(),
                    settings.neighbours(), o.dp().clip(), 0L);
        }
        SecAggConfig config = settings.config(s.shards(), o.clientsPerRound());
        int population = (int) s.shards().stream().filter(d -> d.size() > 0).count();
        SecureAggregation secagg = SecureAggregation.of(config, aggregator, population,
                Seeds.derive(o.seed(), "secagg"));
        LOG.info("secure aggregation: {}", secagg.aggregator());
        // Simulated attackers poison their update before the masking layer, as a real malicious client would.
        UnaryOperator<ClientProxy> attackers = o.robust().clientWrapper(s.shards().size(), o.seed());
        simulation.aggregator(secagg.aggregator()).clientLayer(p -> secagg.clientLayer().apply(attackers.apply(p)));
        return secagg.aggregator();
    }

    /** Creates the output directory, or says which one cannot be written and why. */
    private Path outputDirectory() {
        Path out = o.outputDirectory();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output directory " + out + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        if (!Files.isWritable(out)) {
            throw new UncheckedIOException("output directory " + out + " is not writable",
                    new IOException(out.toString()));
        }
        return out;
    }

    private static Partitioner partitioner(RunConfig o) {
        return switch (o.partition()) {
            case dirichlet -> new DirichletPartitioner(o.alpha());
            case iid -> new IidPartitioner();
            case shards -> new ShardPartitioner(o.labelsPerClient());
            case pool -> throw new IllegalStateException("the pool split is drawn with replacement, not partitioned");
        };
    }

    private static List<Dataset> poolShards(RunConfig o, Dataset pool) {
        LOG.info("pool split: {} clients each draw {} of the {} training digits with replacement", o.clients(),
                o.shardSize(), pool.size());
        List<Dataset> shards = new ArrayList<>(o.clients());
        for (int[] idx : PoolShards.draw(pool.size(), o.clients(), o.shardSize(), Seeds.derive(o.seed(),
                "partition"))) {
            shards.add(pool.subset(idx));
        }
        return shards;
    }

    /** The model's recipe; MD-GAN's client codes are weighted by the clients' training examples. */
    private static ModelRecipe recipe(RunConfig o, List<Dataset> train) {
        ModelSettings m = o.model();
        if (m instanceof VaeSettings v) {
            return new VaeRecipe(v);
        }
        if (m instanceof DdpmSettings d) {
            return new DdpmRecipe(d, o.qualitySamples());
        }
        GanSettings g = (GanSettings) m;
        return new GanRecipe(o, g.clientCodes() ? train.stream().mapToDouble(Dataset::size).toArray()
                : new double[0]);
    }

    /** The configuration's aggregation rule, routed over the model's parts by its recipe. */
    static Aggregator aggregator(RunConfig o, ModelRecipe recipe) {
        Aggregator base = switch (o.aggregator()) {
            case fedavg -> new FedAvg();
            case fedsgd -> new FedSgd(o.serverLearningRate());
            case fedprox -> new FedProx(o.mu());
            case mmd -> PartPolicy.builder()
                    .route(mmdAggregator(o), recipe.generatorPart())
                    .otherwise(new FedAvg()).build();
            default -> o.robust().aggregator(o.aggregator(), o.clientsPerRound() == 0 ? o.clients()
                    : o.clientsPerRound());
        };
        return recipe.aggregator(o, base);
    }

    /**
     * The MMD aggregator of the configuration (sign, temperature, threshold, data weights); every path that routes a
     * generator to MMD builds it here.
     */
    static MmdAggregator mmdAggregator(RunConfig o) {
        return new MmdAggregator(o.mmdSign(), o.mmdTemperature(), o.mmdThreshold(), o.mmdDataWeights(),
                MmdAggregator.DEFAULT_SCORE_BOUND, o.robust().maxClientWeight());
    }
}
