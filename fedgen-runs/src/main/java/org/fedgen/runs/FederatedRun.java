package org.fedgen.runs;

import static org.fedgen.core.util.Checks.require;

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
import org.fedgen.core.aggregate.DriftMeter;
import org.fedgen.core.aggregate.FedExp;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.FedProx;
import org.fedgen.core.aggregate.FedSgd;
import org.fedgen.core.aggregate.MmdAggregator;
import org.fedgen.core.aggregate.Scaffold;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.HeldOutSplit;
import org.fedgen.core.data.images.ClientFolders;
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
import org.fedgen.privacy.secagg.SecAggChannel;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecureAggregation;
import org.fedgen.privacy.secagg.SecureAggregator;
import org.fedgen.runs.output.MetricsCsvListener;
import org.fedgen.runs.output.MetricsPlotListener;
import org.fedgen.runs.output.SampleFileListener;
import org.fedgen.runs.output.SampleGridListener;
import org.fedgen.runs.table.TableShards;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One federated training run on the bundled digits or the user's own images ({@link ImageData}), as a
 * {@link RunConfig} describes it: partition the training pool (or take the client folders as the partition),
 * train through the {@link Server} round loop, and write metrics.csv, metrics.png, sample grids, an IDX sample file and
 * a checkpoint into the output directory. Every topology, MD-GAN included, runs through the same loop and outputs.
 * A table run ({@link RunConfig#table()}) splits, transforms and encodes the table with {@link TableShards} and
 * writes samples.csv and eval.json instead of the grids and the IDX file.
 */
public final class FederatedRun {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedRun.class);

    /** The files a run writes into its directory; any of them means the directory holds a run. */
    static final String CHECKPOINT = "checkpoint.fgs";
    static final String CONFIG = "config.json";
    static final String METRICS = "metrics.csv";
    /** The label mapping of a run on class folders (line i names label i). */
    static final String CLASSES = "classes.txt";

    private final RunConfig o;
    private final List<RoundListener> listeners;
    private final boolean overwrite;
    /** The checkpoint this run continues from, or null for a fresh run. */
    private final Checkpoint resumeFrom;
    /** How the clients are reached, or null when they are simulated in this JVM. */
    private final ClientTransport transport;

    /** @param listeners notified after the run's own outputs (e.g. a progress display) */
    public FederatedRun(RunConfig config, RoundListener... listeners) {
        this(config, false, null, List.of(listeners), null);
    }

    private FederatedRun(RunConfig config, boolean overwrite, Checkpoint resumeFrom, List<RoundListener> listeners,
            ClientTransport transport) {
        this.o = Objects.requireNonNull(config, "config");
        this.overwrite = overwrite;
        this.resumeFrom = resumeFrom;
        this.listeners = listeners;
        this.transport = transport;
    }

    /**
     * The run recorded in {@code dir}, continuing from its checkpoint with the configuration the checkpoint records.
     * metrics.csv keeps exactly the rows of the checkpoint's rounds (a row written after it, by a run killed before
     * its checkpoint, is dropped and computed again). The checkpoint holds the whole run state
     * ({@link Simulation#state()}): the aggregator chain's (server optimizer moments, EMA, a DP run's privacy ledger
     * and adaptive clip norm, a record-level run's per-client ledgers, so ε after the resume includes every round
     * before it), the MMD aggregator's adoption
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
        return new FederatedRun(o, false, cp, List.of(listeners), null);
    }

    /** The configuration this run trains with (for a resumed run, the one its checkpoint records). */
    public RunConfig config() {
        return o;
    }

    /** This run with {@code more} listeners notified after the ones it has. */
    public FederatedRun listening(RoundListener... more) {
        List<RoundListener> all = new ArrayList<>(listeners);
        all.addAll(List.of(more));
        return new FederatedRun(o, overwrite, resumeFrom, List.copyOf(all), transport);
    }

    /**
     * This run with its clients reached through {@code transport} instead of simulated: the same split, rounds,
     * aggregation, DP and outputs, so with every client answering the result is the simulation's, bit for bit.
     *
     * @throws IllegalArgumentException for settings whose clients are simulated by the server itself (attacks,
     *                                  MD-GAN, the centralized baseline); secure aggregation needs a transport that
     *                                  carries it ({@link ClientTransport#secureAggregation}), checked by {@link #run()}
     */
    public FederatedRun deployed(ClientTransport transport) {
        Objects.requireNonNull(transport, "transport");
        String why = notDeployable(o);
        if (why != null) {
            throw new IllegalArgumentException("this run cannot be deployed to remote clients: " + why);
        }
        return new FederatedRun(o, overwrite, resumeFrom, listeners, transport);
    }

    private static String notDeployable(RunConfig o) {
        if (o.images() != null || o.table() != null) {
            return "a deployed run trains on the bundled digits that fedgen split writes; own images and tables are"
                    + " not deployable yet";
        }
        if (o.robust().attack() != AttackKind.none) {
            return "--attack " + o.robust().attack() + " simulates attackers on the server";
        }
        if (o.centralized()) {
            return "the centralized baseline has no federation";
        }
        if (o.model() instanceof GanSettings g && g.topology() == GanTopology.MDGAN) {
            return "--topology mdgan exchanges generated batches, not model updates";
        }
        if (o.aggregator() == AggregatorKind.scaffold) {
            return "--aggregator scaffold sends the server control with the instructions, which the gRPC protocol"
                    + " does not carry yet";
        }
        return null;
    }

    /**
     * A factory of the model a client of {@code config} trains, as the simulation's workers create it; what a remote
     * client host builds from the configuration the server sends.
     *
     * @throws IllegalArgumentException for an MD-GAN configuration, whose clients train no model of this kind
     */
    public static java.util.function.Supplier<? extends org.fedgen.core.TrainableModel> clientModel(RunConfig config) {
        String why = notDeployable(config);
        if (why != null) {
            throw new IllegalArgumentException("no client model for this configuration: " + why);
        }
        return recipe(config, List.of(), 784).factory();
    }

    /**
     * This run, allowed to replace a run already in its output directory (its outputs are deleted first); without
     * it, {@link #run()} refuses such a directory.
     */
    public FederatedRun overwriting() {
        return new FederatedRun(o, true, resumeFrom, listeners, transport);
    }

    /**
     * The data and model of a run: per-client training shards of the training pool and the clients' own held-out
     * examples (for federated evaluation), the held-out examples of the server, the model recipe, and the
     * configuration fitted to the data (see {@code DataFit}; the run's own for the bundled digits).
     * {@code heldOutFromClients}: the server's held-out examples are the clients' own (client folders), so a DP run
     * must not publish metrics computed on them. {@code classes}: the class names of labels 0, 1, ... of class-folder
     * data; empty otherwise.
     */
    record Setup(List<Dataset> shards, List<Dataset> clientEval, Dataset heldOut, ModelRecipe recipe, RunConfig config,
            boolean heldOutFromClients, List<String> classes, TableShards table) {
    }

    /** Training throughput of one timed run. */
    public record Timing(long steps, double seconds, ModelState finalState) {
        /** Local steps per second. */
        public double stepsPerSecond() {
            return steps / seconds;
        }
    }

    static Setup setup(RunConfig config) {
        if (config.table() != null) {
            return tableSetup(config);
        }
        if (config.images() != null && config.images().natural()) {
            return naturalSetup(config);
        }
        Dataset pool;
        Dataset heldOut;
        if (config.images() == null) {
            pool = DigitsSplit.train();
            heldOut = DigitsSplit.heldOut();
        } else {
            // The server keeps a seeded eighth of the pooled file (as the digits keep 1 000 of 8 000) for its
            // evaluation; it never reaches a client.
            HeldOutSplit.Parts p = HeldOutSplit.split(config.images().readPooled(), 8,
                    Seeds.derive(config.seed(), "server-held-out"));
            pool = p.kept();
            heldOut = p.heldOut();
            LOG.info("{}: {} examples for the clients, {} held out by the server", config.images().file(),
                    pool.size(), heldOut.size());
        }
        RunConfig o = DataFit.fit(config, List.of(pool));
        require(pool.hasLabels() || o.partition() == PartitionKind.iid || o.partition() == PartitionKind.pool,
                "--partition " + o.partition() + " splits by label, and " + (o.images() == null ? "the data"
                        : o.images().file()) + " has no labels (give --labels, or use --partition iid or pool)");
        Partition partition = o.partition() == PartitionKind.pool ? null
                : partitioner(o).partition(pool.hasLabels() ? pool.labels() : new int[pool.size()], o.clients(),
                        Seeds.derive(o.seed(), "partition"));
        List<Dataset> train = new ArrayList<>();
        List<Dataset> eval = new ArrayList<>();
        for (Dataset shard : partition != null ? partition.apply(pool) : poolShards(o, pool)) {
            // The last tenth of each shard (of shards with at least 10 examples) stays with its client for
            // federated evaluation; the split is positional because shards are already in random order.
            int keep = shard.size() >= 10 ? shard.size() - shard.size() / 10 : shard.size();
            train.add(shard.range(0, keep));
            eval.add(shard.range(keep, shard.size()));
        }
        if (o.dp() != null) {
            // Shard sizes are client data: a private run does not log them.
            LOG.info("partition {}: {} clients (sizes withheld in a DP run)", o.partition(), o.clients());
        } else if (partition != null && pool.hasLabels()) {
            LOG.info("partition {}: client sizes {}, mean label distance {}", o.partition(), partition.sizes(),
                    String.format("%.3f", partition.meanLabelDistance()));
        }
        return finish(o, train, eval, heldOut, false, List.of());
    }

    /**
     * Client folders: each client's eval files are its held-out examples, or else a seeded tenth of its examples
     * (none below 10); the server evaluates on the union of the clients' held-out examples.
     */
    private static Setup naturalSetup(RunConfig config) {
        ClientFolders.Clients c = config.images().readClients();
        List<Dataset> train = new ArrayList<>();
        List<Dataset> eval = new ArrayList<>();
        for (int k = 0; k < c.train().size(); k++) {
            if (c.eval().get(k) != null) {
                train.add(c.train().get(k));
                eval.add(c.eval().get(k));
            } else {
                HeldOutSplit.Parts p = HeldOutSplit.split(c.train().get(k), 10,
                        Seeds.derive(config.seed(), "client-held-out", k));
                train.add(p.kept());
                eval.add(p.heldOut());
            }
        }
        RunConfig o = DataFit.fit(config, train);
        if (o.dp() == null) {
            LOG.info("client folders {}: training sizes {}", c.names(), train.stream().map(Dataset::size).toList());
        }
        return finish(o, train, eval, Dataset.concat(eval), true, c.classes());
    }

    private static Setup finish(RunConfig o, List<Dataset> train, List<Dataset> eval, Dataset heldOut,
            boolean heldOutFromClients, List<String> classes) {
        if (o.centralized()) {
            Dataset union = Dataset.concat(train);
            LOG.info("centralized baseline: one client holds the union of the {} clients' training data ({} digits)",
                    o.clients(), union.size());
            return new Setup(List.of(union), List.of(Dataset.concat(eval)), heldOut,
                    recipe(o, List.of(union), features(train)), o, heldOutFromClients, classes, null);
        }
        List<Dataset> poisoned = o.robust().poisonedShards(train, o.seed(), conditional(o.model()));
        return new Setup(poisoned, eval, heldOut, recipe(o, poisoned, features(train)), o, heldOutFromClients,
                classes, null);
    }

    /** The length of one example's feature vector (C·H·W). */
    private static int features(List<Dataset> train) {
        int n = 1;
        for (int d : train.get(0).itemShape()) {
            n *= d;
        }
        return n;
    }

    /**
     * A table run's clients: split, transform fitted from client statistics (or the schema alone under DP), rows
     * encoded. The server holds no rows of its own, so there is no held-out set.
     */
    private static Setup tableSetup(RunConfig config) {
        TableShards t = TableShards.load(config.table(), config.clients(), config.seed(), config.dp() != null);
        // --partition-by: the column's values are the clients.
        RunConfig o = t.trainData().size() != config.clients() && !config.centralized()
                ? config.toBuilder().clients(t.trainData().size()).build() : config;
        int width = t.encoder().width();
        if (o.centralized()) {
            Dataset union = Dataset.concat(t.trainData());
            LOG.info("centralized baseline: one client holds the union of the {} clients' training rows",
                    t.trainData().size());
            return new Setup(List.of(union), List.of(Dataset.concat(t.evalData())), null,
                    recipe(o, List.of(union), width), o, false, List.of(), t);
        }
        return new Setup(t.trainData(), t.evalData(), null, recipe(o, t.trainData(), width), o, false, List.of(), t);
    }

    static boolean conditional(ModelSettings m) {
        return m instanceof GanSettings g && g.conditional() || m instanceof DdpmSettings d && d.conditional();
    }

    /**
     * Server-side evaluation: the family's own metrics (e.g. held-out ELBO) and, unless disabled, sample quality of
     * the configured number of samples against the held-out digits on the shipped classifier's features.
     */
    static GlobalEvaluator evaluator(RunConfig o, Setup s) {
        if (o.dp() != null && s.heldOutFromClients()) {
            LOG.info("no server-side evaluation: the held-out examples are the clients' own, and a DP run publishes "
                    + "nothing computed from them without noise");
            return (global, round) -> Map.of();
        }
        if (s.table() != null) {
            // The server of a table run holds no rows; the clients' federated evaluation and eval.json score it.
            return (global, round) -> new LinkedHashMap<>();
        }
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
                // Under secure aggregation the attackers sit inside the masking layer, which secureAggregation adds.
                .clientLayer(o.secureAggregation() != null ? UnaryOperator.identity()
                        : o.robust().clientWrapper(s.shards().size(), o.seed()))
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
        Setup s = setup(config.toBuilder().clientsPerRound(0).rounds(warmupRounds + config.rounds()).build());
        RunConfig o = s.config();
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
        Setup s = setup(this.o);
        // From here on the configuration fitted to the data: it is what the run does and records.
        RunConfig o = s.config();
        Path out = outputDirectory(o);
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
        Aggregator aggregator = dp.aggregator(aggregator(o, recipe, dp::wrapBase));
        boolean mdgan = recipe instanceof GanRecipe g && g.settings().topology() == GanTopology.MDGAN;
        Simulation.Builder simulation = mdgan ? null : simulation(o, s, o.workers(), aggregator);
        if (transport != null) {
            simulation.clientLayer(transport::client).roundTimeout(transport.roundTimeout());
        }
        if (o.secureAggregation() != null) {
            aggregator = secureAggregation(o, s, aggregator, simulation, transport);
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
        int[] item = s.table() == null ? s.shards().get(0).itemShape() : null;
        if (s.table() == null) {
            outputs.add(new SampleGridListener(out, recipe::sample, Seeds.derive(o.seed(), "grid"), o.evalEvery(),
                    o.rounds(), item[1], item[2]));
        } else {
            LOG.info("table run: FID, precision/recall and label coverage are measured on digit-classifier features"
                    + " and do not apply to tables; samples.csv and eval.json score the samples instead");
        }
        if (o.samples() > 0 && s.table() == null) {
            outputs.add(new SampleFileListener(out.resolve("samples-idx3-ubyte"), recipe::sample, o.samples(),
                    Seeds.derive(o.seed(), "samples"), item[1], item[2]));
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
            markRun(out, o, s);
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
            markRun(out, o, s);
            ModelState last = sim.run();
            if (s.table() != null) {
                TableOutputs.write(out, o, s.table(), recipe, last);
            }
        }
        return out;
    }

    /** Writes config.json and, for class-folder data, classes.txt: the directory now holds a run. */
    private static void markRun(Path out, RunConfig o, Setup s) {
        RunDirectory.writeConfig(out, o);
        if (!s.classes().isEmpty()) {
            RunDirectory.writeClasses(out, s.classes());
        }
    }

    /**
     * Replaces the run's aggregator by secure aggregation over it and puts the masking layer in front of every client;
     * returns the new aggregator.
     */
    private static Aggregator secureAggregation(RunConfig o, Setup s, Aggregator aggregator,
            Simulation.Builder simulation, ClientTransport transport) {
        SecureAggregationSettings settings = o.secureAggregation();
        if (o.dp() != null) {
            // Clients clip to the DP clip norm with uniform weights, which DP-FedAvg's noise is calibrated to.
            settings = new SecureAggregationSettings(settings.threshold(), settings.bits(), settings.range(),
                    settings.neighbours(), o.dp().clip(), 0L);
        }
        SecAggConfig config = settings.config(s.shards(), o.clientsPerRound());
        int population = (int) s.shards().stream().filter(d -> d.size() > 0).count();
        if (transport != null) {
            // Remote clients mask their own updates; the transport carries the protocol's messages to them.
            SecAggChannel channel = transport.secureAggregation(config);
            require(channel != null, "--secure-aggregation: this run's client transport cannot carry secure"
                    + " aggregation's messages");
            SecureAggregator remote = SecureAggregation.serverSide(config, aggregator, population,
                    Seeds.derive(o.seed(), "secagg"), channel);
            LOG.info("secure aggregation with remote clients: {}", remote);
            simulation.aggregator(remote);
            return remote;
        }
        SecureAggregation secagg = SecureAggregation.of(config, aggregator, population,
                Seeds.derive(o.seed(), "secagg"));
        LOG.info("secure aggregation: {}", secagg.aggregator());
        // Simulated attackers poison their update before the masking layer, as a real malicious client would.
        UnaryOperator<ClientProxy> attackers = o.robust().clientWrapper(s.shards().size(), o.seed());
        simulation.aggregator(secagg.aggregator()).clientLayer(p -> secagg.clientLayer().apply(attackers.apply(p)));
        return secagg.aggregator();
    }

    /** Creates the output directory, or says which one cannot be written and why. */
    private static Path outputDirectory(RunConfig o) {
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
    private static ModelRecipe recipe(RunConfig o, List<Dataset> train, int features) {
        ModelSettings m = o.model();
        if (m instanceof VaeSettings v) {
            return new VaeRecipe(features == v.config().inputDim() ? v
                    : new VaeSettings(v.config().toBuilder().inputDim(features).build()));
        }
        if (m instanceof DdpmSettings d) {
            if (o.table() != null) {
                return new DdpmRecipe(d, o.qualitySamples(), features);
            }
            int[] item = DataFit.itemShape(o);
            return new DdpmRecipe(d, o.qualitySamples(), item[1], item[2]);
        }
        GanSettings g = (GanSettings) m;
        return new GanRecipe(o, g.clientCodes() ? train.stream().mapToDouble(Dataset::size).toArray()
                : new double[0]);
    }

    /** The configuration's aggregation rule, routed over the model's parts by its recipe. */
    static Aggregator aggregator(RunConfig o, ModelRecipe recipe) {
        return aggregator(o, recipe, UnaryOperator.identity());
    }

    /** {@link #aggregator(RunConfig, ModelRecipe)} with {@code wrapBase} applied to the rule before routing. */
    static Aggregator aggregator(RunConfig o, ModelRecipe recipe, UnaryOperator<Aggregator> wrapBase) {
        Aggregator base = switch (o.aggregator()) {
            case fedavg -> new FedAvg();
            case fedsgd -> new FedSgd(o.serverLearningRate());
            case fedprox -> new FedProx(o.mu());
            // --server-lr is SCAFFOLD's η_g unless a server optimizer that takes a learning rate owns it
            case scaffold -> new Scaffold(serverOptimizerTakesLearningRate(o) ? 1.0 : o.serverLearningRate());
            case mmd -> PartPolicy.builder()
                    .route(mmdAggregator(o), recipe.generatorPart())
                    .otherwise(new FedAvg()).build();
            default -> o.robust().aggregator(o.aggregator(), o.clientsPerRound() == 0 ? o.clients()
                    : o.clientsPerRound());
        };
        // Drift is measured from individual updates: not under secure aggregation, which hides them.
        boolean averages = o.aggregator() == AggregatorKind.fedavg || o.aggregator() == AggregatorKind.fedprox
                || o.aggregator() == AggregatorKind.scaffold;
        Aggregator measured = averages && o.secureAggregation() == null ? new DriftMeter(base) : base;
        return recipe.aggregator(o, serverOptimizer(o, wrapBase.apply(measured)));
    }

    /** Whether the configuration's server optimizer steps with {@code --server-lr} (FedAvgM, FedAdam, FedYogi). */
    static boolean serverOptimizerTakesLearningRate(RunConfig o) {
        return o.serverOptimizer() != ServerOptimizerKind.none && o.serverOptimizer() != ServerOptimizerKind.fedexp;
    }

    /**
     * {@code base} under the configuration's server optimizer, or {@code base} itself for none and for the
     * centralized baseline: its one client trains the pooled data on its own, and a server step over that client's
     * round would be a second optimizer the baseline is not meant to have.
     */
    static Aggregator serverOptimizer(RunConfig o, Aggregator base) {
        if (o.centralized()) {
            return base;
        }
        return switch (o.serverOptimizer()) {
            case none -> base;
            case fedexp -> new FedExp(base, FedExp.DEFAULT_EPSILON);
            case avgm, adam, yogi -> ServerOptimizer.of(o.serverOptimizer().stepKind(), base, o.serverLearningRate(),
                    o.serverMomentum(), o.serverBeta2(), o.serverTau()).withLearningRateDecay(o.serverLrDecay());
        };
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
