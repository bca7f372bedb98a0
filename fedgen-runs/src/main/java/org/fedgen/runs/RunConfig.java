package org.fedgen.runs;

import static org.fedgen.core.util.Checks.require;

import java.nio.file.Path;
import java.util.Objects;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.runs.table.TableSource;

/**
 * Everything a federated run on the bundled digits (or the user's own images, or a user's table, see
 * {@link Builder#table}) is made of: model family, data split, federation, aggregation, optional DP, evaluation and
 * outputs. Immutable; build with {@link #builder()}, whose {@link Builder#build()} fills the family's defaults (a GAN's
 * depend on its topology, see the builder's setters) and checks every value, naming the first bad one. Run it with
 * {@link FederatedRun}.
 *
 * @param model              the model family and its settings
 * @param clients            number of clients W
 * @param clientsPerRound    clients sampled per round without replacement; 0 = all
 * @param rounds             federated rounds
 * @param localEpochs        local passes over each client's data per round
 * @param localSteps         local optimizer steps per round; overrides localEpochs when &gt; 0
 * @param batchSize          local minibatch size
 * @param learningRate       local learning rate
 * @param aggregator         aggregation rule of the shared parts
 * @param mu                 FedProx μ
 * @param serverLearningRate FedSGD server learning rate η_s
 * @param mmdTemperature     MMD aggregator softmax temperature τ
 * @param mmdSign            MMD aggregator sign s (+1 or −1)
 * @param mmdThreshold       MMD adoption threshold c; null = the mean of the round's scores
 * @param mmdDataWeights     MMD weights α_k ∝ n_k exp(s·mmd_k/τ) instead of the plain softmax
 * @param partition          data split
 * @param alpha              Dirichlet concentration α
 * @param labelsPerClient    labels per client of the shard split
 * @param workers            worker threads, each with its own model
 * @param seed               seed of every random choice in the run (not of DP noise unless seeded)
 * @param evalEvery          evaluate and write a sample grid every k rounds (and after the last)
 * @param qualitySamples     samples per evaluation for FID, MMD, precision/recall, coverage; 0 = off
 * @param samples            samples written to samples-idx3-ubyte at the end; 0 = none
 * @param centralized        centralized baseline: one client holding the union of the clients' training data
 * @param dp                 DP-FedAvg settings, or null for a non-private run
 * @param out                output directory; null = runs/&lt;family&gt;-&lt;aggregator&gt; (or -centralized)
 * @param maxFailedRounds    consecutive rounds in which every sampled client fails or is rejected before the run
 *                           stops with an error
 * @param secureAggregation  secure-aggregation settings, or null for plain aggregation
 * @param robust             robust-rule parameters, the client weight cap and the simulated attack
 * @param shardSize          digits each client draws for the pool split
 * @param streaming          streaming aggregation with a window of 2 × workers (see
 *                           {@code Server.Builder.streamingWindow})
 * @param checkpointEvery    write the checkpoint (the state a run resumes from) every k rounds and after the last
 * @param images             the run's own image data, or null for the bundled digits; a run records the
 *                           configuration fitted to its data (see {@link FederatedRun})
 * @param table              the user's table to train on instead of the bundled digits, or null for the digits
 * @param serverOptimizer    server optimizer over the aggregate of the shared parts (learning rate
 *                           {@code serverLearningRate}); {@code none} keeps the aggregate as it is
 * @param serverMomentum     the server optimizer's momentum β (FedAvgM) or first-moment decay β₁ (FedAdam, FedYogi)
 * @param serverBeta2        FedAdam / FedYogi second-moment decay β₂
 * @param serverTau          FedAdam / FedYogi adaptivity τ
 * @param serverLrDecay      per-round decay γ of the FedAvgM / FedAdam / FedYogi learning rate: round t steps with
 *                           serverLearningRate · γ^(t−1); 1 = constant
 */
public record RunConfig(ModelSettings model, int clients, int clientsPerRound, int rounds, int localEpochs,
        int localSteps, int batchSize, double learningRate, AggregatorKind aggregator, double mu,
        double serverLearningRate, double mmdTemperature, double mmdSign, Double mmdThreshold, boolean mmdDataWeights,
        PartitionKind partition, double alpha, int labelsPerClient, int workers, long seed, int evalEvery,
        int qualitySamples, int samples, boolean centralized, DpConfig dp, Path out, int maxFailedRounds,
        SecureAggregationSettings secureAggregation, RobustSettings robust, int shardSize, boolean streaming,
        int checkpointEvery, ImageData images, TableSource table, ServerOptimizerKind serverOptimizer,
        double serverMomentum, double serverBeta2, double serverTau, double serverLrDecay) {

    /** Shared defaults of the values a model family may override (see {@code GanDefaults}). */
    static final int ROUNDS = 50;
    /** The DDPM's rounds: the unconditional MLP DDPM's FID is best near round 20 (docs/results.md). */
    static final int DDPM_ROUNDS = 20;
    static final int LOCAL_EPOCHS = 2;
    static final int LOCAL_STEPS = 0;
    static final int BATCH_SIZE = 64;
    static final double LEARNING_RATE = 1e-3;
    static final int EVAL_EVERY = 5;
    static final double MMD_TEMPERATURE = 0.01;

    /** A builder with the defaults: a VAE over 10 Dirichlet(0.5) clients, FedAvg, 50 rounds, seed 42. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values (the family defaults already resolved). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.clients = clients;
        b.clientsPerRound = clientsPerRound;
        b.rounds = rounds;
        b.localEpochs = localEpochs;
        b.localSteps = localSteps;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.aggregator = aggregator;
        b.mu = mu;
        b.serverLearningRate = serverLearningRate;
        b.mmdTemperature = mmdTemperature;
        b.mmdSign = mmdSign;
        b.mmdThreshold = mmdThreshold;
        b.mmdDataWeights = mmdDataWeights;
        b.partition = partition;
        b.alpha = alpha;
        b.labelsPerClient = labelsPerClient;
        b.workers = workers;
        b.seed = seed;
        b.evalEvery = evalEvery;
        b.qualitySamples = qualitySamples;
        b.samples = samples;
        b.centralized = centralized;
        b.dp = dp;
        b.out = out;
        b.maxFailedRounds = maxFailedRounds;
        b.shardSize = shardSize;
        b.streaming = streaming;
        b.secureAggregation = secureAggregation;
        b.robust = robust;
        b.checkpointEvery = checkpointEvery;
        b.images = images;
        b.table = table;
        b.serverOptimizer = serverOptimizer;
        b.serverMomentum = serverMomentum;
        b.serverBeta2 = serverBeta2;
        b.serverTau = serverTau;
        b.serverLrDecay = serverLrDecay;
        return b;
    }

    /** The output directory, defaulted from model family and aggregator. */
    public Path outputDirectory() {
        return out != null ? out : Path.of("runs", model.family() + "-" + (centralized ? "centralized" : aggregator));
    }

    /** Builds a {@link RunConfig}; option names in messages are the CLI's. */
    public static final class Builder {
        private ModelSettings model = VaeSettings.defaults();
        private int clients = 10;
        private int clientsPerRound = 0;
        private Integer rounds;
        private Integer localEpochs;
        private Integer localSteps;
        private Integer batchSize;
        private Double learningRate;
        private AggregatorKind aggregator = AggregatorKind.fedavg;
        private double mu = 0.01;
        private double serverLearningRate = 1.0;
        private Double mmdTemperature;
        private double mmdSign = 1.0;
        private Double mmdThreshold;
        private boolean mmdDataWeights;
        private PartitionKind partition = PartitionKind.dirichlet;
        private double alpha = 0.5;
        private int labelsPerClient = 2;
        private int workers = Runtime.getRuntime().availableProcessors();
        private long seed = 42;
        private Integer evalEvery;
        private int qualitySamples = 1000;
        private int samples = 1000;
        private boolean centralized;
        private DpConfig dp;
        private Path out;
        private int maxFailedRounds = 3;
        private int shardSize = 10;
        private boolean streaming;
        private SecureAggregationSettings secureAggregation;
        private RobustSettings robust = RobustSettings.defaults();
        private int checkpointEvery = 1;
        private ImageData images;
        private TableSource table;
        private ServerOptimizerKind serverOptimizer = ServerOptimizerKind.none;
        private double serverMomentum = 0.9;
        private double serverBeta2 = 0.99;
        private double serverTau = 1e-3;
        private double serverLrDecay = 1.0;

        private Builder() {
        }

        /** Sets {@code model}: the model family and its settings. */
        public Builder model(ModelSettings v) {
            model = Objects.requireNonNull(v, "model");
            return this;
        }

        /** Sets {@code clients}: number of clients W. */
        public Builder clients(int v) {
            clients = v;
            return this;
        }

        /** Sets {@code clientsPerRound}: clients sampled per round without replacement; 0 = all. */
        public Builder clientsPerRound(int v) {
            clientsPerRound = v;
            return this;
        }

        /** Null = the family's default (50; a GAN's depends on its topology). */
        public Builder rounds(Integer v) {
            rounds = v;
            return this;
        }

        /** Null = the family's default (2). */
        public Builder localEpochs(Integer v) {
            localEpochs = v;
            return this;
        }

        /** Null = the family's default (0 = use local epochs; a GAN's depends on its topology). */
        public Builder localSteps(Integer v) {
            localSteps = v;
            return this;
        }

        /** Null = the family's default (64; MD-GAN 32). */
        public Builder batchSize(Integer v) {
            batchSize = v;
            return this;
        }

        /** Null = the family's default (1e-3; GAN 2e-4). */
        public Builder learningRate(Double v) {
            learningRate = v;
            return this;
        }

        /** Sets {@code aggregator}: aggregation rule of the shared parts. */
        public Builder aggregator(AggregatorKind v) {
            aggregator = Objects.requireNonNull(v, "aggregator");
            return this;
        }

        /** Sets {@code mu}: FedProx μ. */
        public Builder mu(double v) {
            mu = v;
            return this;
        }

        /** Sets {@code serverLearningRate}: server learning rate η_s of FedSGD and of the server optimizer. */
        public Builder serverLearningRate(double v) {
            serverLearningRate = v;
            return this;
        }

        /** Null = the family's default (0.01; IFL-GAN 1). */
        public Builder mmdTemperature(Double v) {
            mmdTemperature = v;
            return this;
        }

        /** Sets {@code mmdSign}: MMD aggregator sign s (+1 or −1). */
        public Builder mmdSign(double v) {
            mmdSign = v;
            return this;
        }

        /** Sets {@code mmdThreshold}: MMD adoption threshold c; null = the mean of the round's scores. */
        public Builder mmdThreshold(Double v) {
            mmdThreshold = v;
            return this;
        }

        /** Sets {@code mmdDataWeights}: MMD weights α_k ∝ n_k exp(s·mmd_k/τ) instead of the plain softmax. */
        public Builder mmdDataWeights(boolean v) {
            mmdDataWeights = v;
            return this;
        }

        /** Sets {@code partition}: data split. */
        public Builder partition(PartitionKind v) {
            partition = Objects.requireNonNull(v, "partition");
            return this;
        }

        /** Sets {@code alpha}: Dirichlet concentration α. */
        public Builder alpha(double v) {
            alpha = v;
            return this;
        }

        /** Sets {@code labelsPerClient}: labels per client of the shard split. */
        public Builder labelsPerClient(int v) {
            labelsPerClient = v;
            return this;
        }

        /** Sets {@code workers}: worker threads, each with its own model. */
        public Builder workers(int v) {
            workers = v;
            return this;
        }

        /** Sets {@code seed}: seed of every random choice in the run (not of DP noise unless seeded). */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Null = the family's default (5; GAN 10, DP-FedAvg-GAN 40). */
        public Builder evalEvery(Integer v) {
            evalEvery = v;
            return this;
        }

        /** Sets {@code qualitySamples}: samples per evaluation for FID, MMD, precision/recall, coverage; 0 = off. */
        public Builder qualitySamples(int v) {
            qualitySamples = v;
            return this;
        }

        /** Sets {@code samples}: samples written to samples-idx3-ubyte at the end; 0 = none. */
        public Builder samples(int v) {
            samples = v;
            return this;
        }

        /**
         * Sets {@code centralized}: centralized baseline: one client holding the union of the clients' training data.
         */
        public Builder centralized(boolean v) {
            centralized = v;
            return this;
        }

        /** Null = not private. */
        public Builder dp(DpConfig v) {
            dp = v;
            return this;
        }

        /** Null = runs/&lt;family&gt;-&lt;aggregator&gt;. */
        public Builder out(Path v) {
            out = v;
            return this;
        }

        /** Robust-rule parameters, client weight cap and simulated attack (default: {@link RobustSettings#defaults()}). */
        public Builder robust(RobustSettings v) {
            robust = Objects.requireNonNull(v, "robust");
            return this;
        }

        /** Secure aggregation of the clients' updates; null (default) aggregates them in the clear. */
        public Builder secureAggregation(SecureAggregationSettings v) {
            secureAggregation = v;
            return this;
        }

        /** Checkpoint interval in rounds (default 1: a crash loses at most the round in progress). */
        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /**
         * Trains on a user's table (VAE or MLP DDPM; samples are written as samples.csv) instead of the bundled
         * digits; null (default) = the digits. Without {@link TableSource#partitionBy()} the split must be
         * {@link PartitionKind#iid}: a table has no labels.
         */
        public Builder table(TableSource v) {
            table = v;
            return this;
        }

        /**
         * Sets {@code maxFailedRounds}: consecutive rounds in which every sampled client fails or is rejected before
         * the run stops with an error.
         */
        public Builder maxFailedRounds(int v) {
            maxFailedRounds = v;
            return this;
        }

        /** Digits each client draws, with replacement, for the pool split. */
        public Builder shardSize(int v) {
            shardSize = v;
            return this;
        }

        /**
         * The run's own image data; null (default) trains on the bundled digits. With client folders the number of
         * clients is the number of folders, whatever {@link #clients(int)} says.
         */
        public Builder images(ImageData v) {
            images = v;
            return this;
        }

        /**
         * Server optimizer over the aggregate (default {@code none}); its learning rate is
         * {@link #serverLearningRate}. Not with FedSGD (which steps with that rate itself); with client-level DP only
         * adam or yogi, on DP-FedAvg's noisy mean (DP's server momentum is a DP setting).
         */
        public Builder serverOptimizer(ServerOptimizerKind v) {
            serverOptimizer = Objects.requireNonNull(v, "serverOptimizer");
            return this;
        }

        /** Server momentum β (FedAvgM) or first-moment decay β₁ (FedAdam, FedYogi); default 0.9. */
        public Builder serverMomentum(double v) {
            serverMomentum = v;
            return this;
        }

        /** FedAdam / FedYogi second-moment decay β₂; default 0.99. */
        public Builder serverBeta2(double v) {
            serverBeta2 = v;
            return this;
        }

        /** FedAdam / FedYogi adaptivity τ; default 1e-3. */
        public Builder serverTau(double v) {
            serverTau = v;
            return this;
        }

        /**
         * Per-round decay γ in (0, 1] of the FedAvgM / FedAdam / FedYogi learning rate (round t steps with
         * η γ^(t−1)); default 1, a constant rate.
         */
        public Builder serverLrDecay(double v) {
            serverLrDecay = v;
            return this;
        }

        /** Streaming aggregation: round memory independent of clients per round. */
        public Builder streaming(boolean v) {
            streaming = v;
            return this;
        }

        /**
         * Fills unset values with the family's defaults and checks every value.
         *
         * @throws IllegalArgumentException naming the first bad value
         */
        public RunConfig build() {
            GanDefaults.Resolved d = model instanceof GanSettings g
                    ? GanDefaults.resolve(g, rounds, localEpochs, localSteps, batchSize, learningRate, evalEvery,
                            mmdTemperature)
                    : new GanDefaults.Resolved(or(rounds, model instanceof DdpmSettings ? DDPM_ROUNDS : ROUNDS),
                            or(localEpochs, LOCAL_EPOCHS),
                            or(localSteps, LOCAL_STEPS), or(batchSize, BATCH_SIZE), or(learningRate, LEARNING_RATE),
                            or(evalEvery, EVAL_EVERY), or(mmdTemperature, MMD_TEMPERATURE));
            require(clients >= 1, "--clients must be >= 1, got " + clients);
            require(clientsPerRound >= 0, "--clients-per-round must be >= 0, got " + clientsPerRound);
            require(d.rounds() >= 1, "--rounds must be >= 1, got " + d.rounds());
            require(d.localEpochs() >= 1 || d.localSteps() >= 1, "--local-epochs or --local-steps must be >= 1");
            require(d.batchSize() >= 1, "--batch-size must be >= 1, got " + d.batchSize());
            require(d.learningRate() > 0 && Double.isFinite(d.learningRate()), "--lr must be > 0, got "
                    + d.learningRate());
            require(mu > 0 && Double.isFinite(mu), "--mu must be > 0, got " + mu);
            require(alpha > 0 && Double.isFinite(alpha), "--alpha must be > 0, got " + alpha);
            require(workers >= 1, "--workers must be >= 1, got " + workers);
            require(d.evalEvery() >= 1, "--eval-every must be >= 1, got " + d.evalEvery());
            require(samples >= 0, "--samples must be >= 0, got " + samples);
            require(qualitySamples == 0 || qualitySamples >= 4, "--quality-samples must be 0 or >= 4, got "
                    + qualitySamples);
            require(!(model instanceof GanSettings g && g.topology() == GanTopology.MDGAN && dp != null),
                    "--topology mdgan cannot be combined with DP (--dp-*): MD-GAN clients return gradients of "
                    + "generated batches every iteration, which DP-FedAvg does not clip or noise");
            require(!(model instanceof GanSettings g && g.topology() == GanTopology.MDGAN && clientsPerRound > 0),
                    "--clients-per-round " + clientsPerRound + " does not apply to mdgan, whose clients all take part "
                    + "in every iteration");
            require(!(secureAggregation != null && model instanceof GanSettings g
                    && g.topology() == GanTopology.MDGAN), "--secure-aggregation cannot be combined with --topology"
                    + " mdgan: MD-GAN's clients send per-sample feedback, not model updates to sum");
            require(!(secureAggregation != null && dp != null && dp.adaptiveClip()),
                    "--secure-aggregation with --dp-noise needs a fixed clip norm: the clients clip before masking"
                    + " and the server noises their sum; drop --dp-adaptive-clip");
            require(!(secureAggregation != null && dp != null && (secureAggregation.clip() != 0
                    || (secureAggregation.weightCap() != null && secureAggregation.weightCap() != 0))),
                    "with --dp-noise the clients clip to --dp-clip with uniform weights: drop --secagg-clip and"
                    + " --secagg-weight-cap");
            require(!(robust.attack() != AttackKind.none && model instanceof GanSettings g
                    && g.topology() == GanTopology.MDGAN), "--attack cannot be combined with --topology mdgan: MD-GAN"
                    + " clients send no model updates through the simulation's proxies");
            // a robust rule only post-processes record-level DP updates
            require(!(aggregator.robust() && dp != null && dp.clientLevel()), "--aggregator " + aggregator
                    + " cannot be combined with"
                    + " --dp-noise: it looks at individual updates, which DP-FedAvg's accounting does not allow");
            require(maxFailedRounds >= 1, "max failed rounds must be >= 1, got " + maxFailedRounds);
            require(shardSize >= 1, "--shard-size must be >= 1, got " + shardSize);
            require(checkpointEvery >= 1, "--checkpoint-every must be >= 1, got " + checkpointEvery);
            require(images == null || table == null, "a run trains on images or on a table, not both: got "
                    + images + " and --data " + (table == null ? null : table.data()));
            if (table != null) {
                checkTable();
            }
            require(serverLearningRate > 0 && Double.isFinite(serverLearningRate), "--server-lr must be finite and"
                    + " > 0, got " + serverLearningRate);
            require(serverMomentum >= 0 && serverMomentum < 1, "--server-momentum must be in [0, 1), got "
                    + serverMomentum);
            require(serverBeta2 >= 0 && serverBeta2 < 1, "--server-beta2 must be in [0, 1), got " + serverBeta2);
            require(serverTau > 0 && Double.isFinite(serverTau), "--server-tau must be finite and > 0, got "
                    + serverTau);
            require(serverLrDecay > 0 && serverLrDecay <= 1, "--server-lr-decay must be in (0, 1], got "
                    + serverLrDecay);
            require(serverLrDecay == 1 || serverOptimizer == ServerOptimizerKind.avgm
                    || serverOptimizer == ServerOptimizerKind.adam || serverOptimizer == ServerOptimizerKind.yogi,
                    "--server-lr-decay applies only with --server-opt avgm, adam or yogi, got --server-opt "
                    + serverOptimizer);
            if (aggregator == AggregatorKind.scaffold) {
                checkScaffold();
            }
            if (serverOptimizer != ServerOptimizerKind.none) {
                require(aggregator == AggregatorKind.fedavg || aggregator == AggregatorKind.fedprox
                        || aggregator == AggregatorKind.scaffold, "--server-opt " + serverOptimizer
                        + " applies to --aggregator fedavg, fedprox or scaffold, got " + aggregator);
                if (dp != null) {
                    checkDpServerOptimizer();
                } else {
                    require(secureAggregation == null, "--server-opt " + serverOptimizer + " cannot be combined"
                            + " with --secure-aggregation yet");
                }
                require(!(model instanceof GanSettings g && g.topology() == GanTopology.MDGAN), "--server-opt "
                        + serverOptimizer + " does not apply to mdgan, which averages no client models");
            }
            return new RunConfig(model, clients, clientsPerRound, d.rounds(), d.localEpochs(), d.localSteps(),
                    d.batchSize(), d.learningRate(), aggregator, mu, serverLearningRate, d.mmdTemperature(), mmdSign,
                    mmdThreshold, mmdDataWeights, partition, alpha, labelsPerClient, workers, seed, d.evalEvery(),
                    qualitySamples, samples, centralized, dp, out, maxFailedRounds, secureAggregation,
                    robust, shardSize, streaming, checkpointEvery, images, table, serverOptimizer, serverMomentum,
                    serverBeta2, serverTau, serverLrDecay);
        }

        /**
         * A DP run's server optimizer steps on DP-FedAvg's noisy mean (post-processing): FedAdam or FedYogi. FedAvgM
         * is refused because DP already has it as --dp-server-lr / --dp-server-momentum (the same step, another
         * default momentum: two spellings of one thing); FedExP because it sizes its step from the individual
         * updates; record-level DP alone because it has no noisy mean for the step to post-process.
         */
        private void checkDpServerOptimizer() {
            String opt = "--server-opt " + serverOptimizer;
            require(serverOptimizer != ServerOptimizerKind.avgm, opt + " cannot be combined with --dp-noise:"
                    + " DP-FedAvg's FedAvgM step on the noisy mean is --dp-server-lr and --dp-server-momentum; or use"
                    + " --server-opt adam or yogi");
            require(serverOptimizer != ServerOptimizerKind.fedexp, opt + " cannot be combined with --dp-noise: FedExP"
                    + " sizes its step from the clients' individual updates, which DP-FedAvg's accounting does not"
                    + " allow; use --server-opt adam or yogi");
            require(dp.clientLevel(), opt + " with --dp-unit record: the server optimizer steps on DP-FedAvg's noisy"
                    + " mean, which record-level DP alone does not have; use --dp-unit client or both");
            require(dp.serverLearningRate() == 1.0 && dp.serverMomentum() == 0.0, opt + " steps with --server-lr"
                    + " and --server-momentum: drop --dp-server-lr and --dp-server-momentum (DP's FedAvgM step)");
        }

        /**
         * What SCAFFOLD does not combine with: DP (each client's control change Δc_i is a mean of its unclipped,
         * un-noised gradients, a second release of its data that neither DP-FedAvg's noise nor the record-level
         * accountant covers), secure aggregation (the server needs Δc_i beside the delta; the masked sum carries
         * neither separately yet), the centralized baseline (one client: c = c_1, so the correction is zero) and GAN
         * topologies other than FL-GAN (their part routing or server-side training has no per-client controls).
         */
        private void checkScaffold() {
            require(dp == null, "--aggregator scaffold cannot be combined with --dp-noise / --dp-unit: every client"
                    + " also sends its control change, a mean of its unclipped and un-noised gradients that the"
                    + " privacy accounting does not cover");
            require(secureAggregation == null, "--aggregator scaffold cannot be combined with --secure-aggregation"
                    + " yet: the server needs each client's control change beside its masked delta");
            require(!centralized, "--aggregator scaffold does not apply to --centralized: with one client the"
                    + " server control equals the client's and the correction is zero; drop --aggregator");
            require(!(model instanceof GanSettings g && g.topology() != GanTopology.FLGAN), "--aggregator scaffold"
                    + " applies to --topology flgan among the GAN topologies, got " + (model instanceof GanSettings g
                    ? g.topology() : null));
        }

        /** What a table run cannot do (yet): the GAN family, conditioning, label splits, label-based attacks. */
        private void checkTable() {
            require(!(model instanceof GanSettings), "--data " + table.data() + ": tables train with --model vae or"
                    + " ddpm; the GAN family is not wired for tables");
            require(!(model instanceof VaeSettings v && v.config().isConditional()
                    || model instanceof DdpmSettings d && (d.conditional()
                    || d.denoiser() == DdpmSettings.DenoiserKind.unet)), "--data " + table.data()
                    + ": a table trains an unconditional VAE or an MLP DDPM (no --conditional, no --denoiser unet)");
            require(table.partitionBy() != null || partition == PartitionKind.iid, "--partition " + partition
                    + " splits by digit labels, which a table does not have: give --partition iid or --partition-by "
                    + "COLUMN");
            require(robust.attack() == AttackKind.none, "--attack " + robust.attack() + " is simulated on the bundled"
                    + " digits only, not with --data " + table.data());
        }

        static <T> T or(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }
}
