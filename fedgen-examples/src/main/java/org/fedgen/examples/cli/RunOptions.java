package org.fedgen.examples.cli;

import java.nio.file.Path;
import org.fedgen.models.vae.VaeConfig;
import org.fedgen.runs.AggregatorKind;
import org.fedgen.runs.ModelSettings;
import org.fedgen.runs.PartitionKind;
import org.fedgen.runs.RunConfig;
import org.fedgen.runs.ServerOptimizerKind;
import org.fedgen.runs.VaeSettings;
import org.fedgen.runs.table.TableSource;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options of a federated training run, shared by {@code train} and {@code bench}; {@link #toConfig()} maps them to the
 * library's {@link RunConfig}. Options a model family sets its own default for are null until given.
 */
public final class RunOptions {
    /** Generative model families the CLI can train. */
    public enum ModelKind { vae, gan, ddpm }

    @Option(names = "--model", description = "Model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public ModelKind model = ModelKind.vae;

    /** The VAE's local optimizer as the CLI names it. */
    public enum VaeOptimizerKind { adam, sgd }

    @Option(names = "--vae-optimizer", description = "VAE local optimizer: ${COMPLETION-CANDIDATES} (default: "
            + "${DEFAULT-VALUE}); sgd (w -= lr g) suits a server optimizer that adapts the step, such as --server-opt "
            + "adam over many small clients.")
    public VaeOptimizerKind vaeOptimizer = VaeOptimizerKind.adam;

    /** Options of {@code --model ddpm}. */
    @picocli.CommandLine.Mixin
    public DdpmOptions ddpm = new DdpmOptions();

    @Option(names = "--clients", description = "Number of clients (default: ${DEFAULT-VALUE}).")
    public int clients = 10;

    @Option(names = "--clients-per-round",
            description = "Clients sampled per round without replacement; 0 = all (default: ${DEFAULT-VALUE}).")
    public int clientsPerRound = 0;

    @Option(names = "--rounds", description = "Federated rounds (default: 50; DDPM 20; GAN: 80 flgan/iflgan, 200 "
            + "conditional, 120 dpfedavg-gan, 20 mdgan).")
    public Integer rounds;

    @Option(names = "--local-epochs", description = "Local passes over each client's data per round (default: 2).")
    public Integer localEpochs;

    @Option(names = "--local-steps", description = "Local optimizer steps per round; overrides --local-epochs when > 0 "
            + "(default: 0; GAN without --local-epochs: 10 flgan/iflgan, 5 dpfedavg-gan, 30 mdgan iterations).")
    public Integer localSteps;

    @Option(names = "--batch-size", description = "Local minibatch size (default: 64; mdgan 32).")
    public Integer batchSize;

    @Option(names = "--lr", description = "Local learning rate (default: 1e-3; GAN 2e-4).")
    public Double learningRate;

    @Option(names = "--aggregator", converter = RobustOptions.AggregatorKindConverter.class,
            description = "Aggregation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); scaffold = SCAFFOLD "
                    + "control variates (Karimireddy et al. 2020), server step --server-lr.")
    public AggregatorKind aggregator = AggregatorKind.fedavg;

    @Option(names = "--mu", description = "FedProx proximal coefficient μ (default: ${DEFAULT-VALUE}).")
    public double mu = 0.01;

    @Option(names = "--server-lr", description = "Server learning rate η_s of FedSGD, of --server-opt avgm, adam "
            + "and yogi, and else of scaffold (default: ${DEFAULT-VALUE}).")
    public double serverLearningRate = 1.0;

    @Option(names = "--server-opt", description = {"Server optimizer over the aggregate (fedavg, fedprox, scaffold): "
            + "${COMPLETION-CANDIDATES}", "(default: ${DEFAULT-VALUE}); avgm = FedAvgM, adam = FedAdam, yogi = "
            + "FedYogi (Reddi et al. 2021), with --server-lr; fedexp = FedExP (Jhunjhunwala et al. 2023), whose "
            + "step size the round's client drift sets. With --dp-noise: adam or yogi, on DP-FedAvg's noisy mean "
            + "(post-processing)."})
    public ServerOptimizerKind serverOptimizer = ServerOptimizerKind.none;

    @Option(names = "--server-momentum", description = "Server momentum β (avgm) or first-moment decay β1 (adam, "
            + "yogi) (default: ${DEFAULT-VALUE}).")
    public double serverMomentum = 0.9;

    @Option(names = "--server-beta2", description = "Second-moment decay β2 of adam and yogi (default: "
            + "${DEFAULT-VALUE}).")
    public double serverBeta2 = 0.99;

    @Option(names = "--server-tau", description = "Adaptivity τ of adam and yogi (default: ${DEFAULT-VALUE}).")
    public double serverTau = 1e-3;

    @Option(names = "--server-lr-decay", paramLabel = "gamma", description = "Per-round decay of the avgm, adam and "
            + "yogi learning rate: round t steps with --server-lr x gamma^(t-1), in (0, 1] (default: "
            + "${DEFAULT-VALUE}: constant).")
    public double serverLrDecay = 1.0;

    @Option(names = "--mmd-temperature", description = "MMD aggregator softmax temperature τ (default: 0.01; "
            + "iflgan 1).")
    public Double mmdTemperature;

    @Option(names = "--mmd-sign", description = "MMD aggregator sign s, +1 or -1 (default: ${DEFAULT-VALUE}).")
    public double mmdSign = 1.0;

    @Option(names = "--mmd-threshold", description = "MMD adoption threshold c; default: the mean of the round's "
            + "scores.")
    public Double mmdThreshold;

    @Option(names = "--mmd-data-weights", description = "MMD aggregator weights alpha_k proportional to "
            + "n_k * exp(s * mmd_k / tau) instead of the plain softmax: equal scores then give FedAvg's n_k/N.")
    public boolean mmdDataWeights;

    @Option(names = "--partition", description = {"Data split: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            "pool: every client draws --shard-size digits from the whole training pool WITH replacement (seeded),",
            "so shards overlap and --clients may exceed the 7 000 training digits."})
    public PartitionKind partition = PartitionKind.dirichlet;

    @Option(names = "--shard-size", description = "Digits each client draws for --partition pool "
            + "(default: ${DEFAULT-VALUE}).")
    public int shardSize = 10;

    @Option(names = "--streaming", description = {"Streaming aggregation: fold each update into the average in "
            + "client-id order as it", "arrives and free it, with at most 2 x --workers clients in flight, so memory "
            + "does not grow with", "--clients-per-round. The average then rounds differently in the last bits from "
            + "the default", "(still the same for any worker count)."})
    public boolean streaming;

    @Option(names = "--alpha", description = "Dirichlet concentration α; smaller is more skewed (default: "
            + "${DEFAULT-VALUE}).")
    public double alpha = 0.5;

    @Option(names = "--labels-per-client", description = "Labels per client for --partition shards (default: "
            + "${DEFAULT-VALUE}).")
    public int labelsPerClient = 2;

    @Option(names = "--workers", description = "Worker threads, each with its own model (default: number of cores, "
            + "${DEFAULT-VALUE}).")
    public int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seed", description = "Seed of every random choice in the run (default: ${DEFAULT-VALUE}).")
    public long seed = 42;

    @Option(names = "--eval-every", description = "Evaluate on the held-out digits and write a sample grid every k "
            + "rounds (default: 5; GAN 10, dpfedavg-gan 40).")
    public Integer evalEvery;

    @Option(names = "--quality-samples", description = {"Samples drawn at each evaluation for FID, MMD, precision/recall",
            "and label coverage against the 1 000 held-out digits; 0 disables them (default: ${DEFAULT-VALUE}).",
            "Compare FIDs only at the same count."})
    public int qualitySamples = 1000;

    @Option(names = "--samples", description = "Unconditional samples written to samples-idx3-ubyte at the end "
            + "(default: ${DEFAULT-VALUE}).")
    public int samples = 1000;

    /** Options of {@code --model gan}. */
    @Mixin
    public GanOptions gan = new GanOptions();

    /** Class-conditional model: the label is an input of the generator (and discriminator / denoiser). */
    @Option(names = "--conditional", description = "Class-conditional model (GAN, DDPM): the digit label is an input, "
            + "so samples of a requested digit can be drawn.")
    void conditional(boolean value) {
        gan.conditional = value;
        ddpm.conditional = value;
    }

    @Option(names = "--centralized", description = {"Centralized baseline: the same model trained on the union of "
            + "the clients' data (one client holding the whole pool) for the same rounds and local epochs, so a "
            + "federated result can be reported as a ratio to it."})
    public boolean centralized;

    /** Robust aggregation, client-weight bound and attack options. */
    @Mixin
    public RobustOptions robust = new RobustOptions();

    /** Differential-privacy options (--dp-*). */
    @Mixin
    public DpOptions dp = new DpOptions();

    /** Secure-aggregation options (--secure-aggregation, --secagg-*). */
    @Mixin
    public SecureAggregationOptions secureAggregation = new SecureAggregationOptions();

    /** Own image data (--data-dir, --data, --labels, --image-size). */
    @Mixin
    public ImageDataOptions images = new ImageDataOptions();

    @Option(names = "--schema", paramLabel = "FILE.json", description = {"Column declarations of --data (types, "
            + "ranges, categories, missing-value", "policy); undeclared columns are inferred from the clients' "
            + "statistics. A DP run needs every column declared."})
    public Path schema;

    @Option(names = "--partition-by", paramLabel = "COLUMN", description = "Split --data by this column: each "
            + "distinct value is one client (sorted order).")
    public String partitionBy;

    @Option(names = "--out", description = "Output directory (default: runs/<model>-<aggregator>, or "
            + "runs/<model>-centralized).")
    public Path out;

    @Option(names = "--max-failed-rounds", description = "Stop with an error after this many consecutive rounds in "
            + "which every sampled client failed or was rejected (default: ${DEFAULT-VALUE}).")
    public int maxFailedRounds = 3;

    @Option(names = "--checkpoint-every", description = "Write the checkpoint, the state --resume continues from, "
            + "every k rounds and after the last (default: ${DEFAULT-VALUE}).")
    public int checkpointEvery = 1;

    /**
     * The library configuration these options describe.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    public RunConfig toConfig() {
        ModelSettings m = switch (model) {
            case vae -> new VaeSettings(VaeConfig.builder().optimizer(vaeOptimizer == VaeOptimizerKind.sgd
                    ? VaeConfig.Optimizer.SGD : VaeConfig.Optimizer.ADAM).build());
            case gan -> gan.toSettings();
            case ddpm -> ddpm.toSettings();
        };
        return RunConfig.builder().model(m).clients(clients).clientsPerRound(clientsPerRound).rounds(rounds)
                .localEpochs(localEpochs).localSteps(localSteps).batchSize(batchSize).learningRate(learningRate)
                .aggregator(aggregator).mu(mu).serverLearningRate(serverLearningRate).mmdTemperature(mmdTemperature)
                .mmdSign(mmdSign).mmdThreshold(mmdThreshold).mmdDataWeights(mmdDataWeights).partition(partition)
                .alpha(alpha).labelsPerClient(labelsPerClient).workers(workers).seed(seed).evalEvery(evalEvery)
                .qualitySamples(qualitySamples).samples(samples).centralized(centralized).dp(dp.toSettings())
                .out(out).maxFailedRounds(maxFailedRounds).shardSize(shardSize).streaming(streaming)
                .checkpointEvery(checkpointEvery).secureAggregation(secureAggregation.toSettings())
                .robust(robust.toSettings()).images(images.toSettings())
                .table(images.table() == null ? null : new TableSource(images.table(), schema, partitionBy))
                .serverOptimizer(serverOptimizer).serverMomentum(serverMomentum).serverBeta2(serverBeta2)
                .serverTau(serverTau).serverLrDecay(serverLrDecay).build();
    }
}
