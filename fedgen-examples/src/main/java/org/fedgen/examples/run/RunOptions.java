package org.fedgen.examples.run;

import java.nio.file.Path;
import org.fedgen.core.aggregate.MmdAggregator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of a federated training run, shared by {@code train} and {@code bench}. */
public final class RunOptions {
    /** Generative model families the CLI can train. */
    public enum ModelKind { vae, gan, ddpm }

    /** Aggregation rules selectable from the CLI. */
    public enum AggregatorKind { fedavg, fedsgd, fedprox, mmd }

    /** Ways to split the digits over clients. */
    public enum PartitionKind { dirichlet, iid, shards, pool }

    @Option(names = "--model", description = "Model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public ModelKind model = ModelKind.vae;

    /** Options of {@code --model ddpm}. */
    @picocli.CommandLine.Mixin
    public DdpmOptions ddpm = new DdpmOptions();

    @Option(names = "--clients", description = "Number of clients (default: ${DEFAULT-VALUE}).")
    public int clients = 10;

    @Option(names = "--clients-per-round",
            description = "Clients sampled per round without replacement; 0 = all (default: ${DEFAULT-VALUE}).")
    public int clientsPerRound = 0;

    @Option(names = "--rounds", description = "Federated rounds (default: ${DEFAULT-VALUE}).")
    public int rounds = 50;

    @Option(names = "--local-epochs", description = "Local passes over each client's data per round "
            + "(default: ${DEFAULT-VALUE}).")
    public int localEpochs = 2;

    @Option(names = "--local-steps", description = "Local optimizer steps per round; overrides --local-epochs when > 0 "
            + "(default: ${DEFAULT-VALUE}).")
    public int localSteps = 0;

    @Option(names = "--batch-size", description = "Local minibatch size (default: ${DEFAULT-VALUE}).")
    public int batchSize = 64;

    @Option(names = "--lr", description = "Local learning rate (default: ${DEFAULT-VALUE}).")
    public double learningRate = 1e-3;

    @Option(names = "--aggregator", description = "Aggregation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public AggregatorKind aggregator = AggregatorKind.fedavg;

    @Option(names = "--mu", description = "FedProx proximal coefficient μ (default: ${DEFAULT-VALUE}).")
    public double mu = 0.01;

    @Option(names = "--server-lr", description = "FedSGD server learning rate η_s (default: ${DEFAULT-VALUE}).")
    public double serverLearningRate = 1.0;

    @Option(names = "--mmd-temperature", description = "MMD aggregator softmax temperature τ (default: "
            + "${DEFAULT-VALUE}).")
    public double mmdTemperature = 0.01;

    @Option(names = "--mmd-sign", description = "MMD aggregator sign s, +1 or -1 (default: ${DEFAULT-VALUE}).")
    public double mmdSign = 1.0;

    @Option(names = "--mmd-threshold", description = "MMD adoption threshold c; default: the mean of the round's "
            + "scores.")
    public Double mmdThreshold;

    @Option(names = "--mmd-data-weights", description = "MMD aggregator weights alpha_k proportional to "
            + "n_k * exp(s * mmd_k / tau) instead of the plain softmax: equal scores then give FedAvg's n_k/N.")
    public boolean mmdDataWeights;

    /**
     * The MMD aggregator these options describe (--mmd-sign, --mmd-temperature, --mmd-threshold, --mmd-data-weights);
     * every path that routes a generator to MMD builds it here.
     */
    public MmdAggregator mmdAggregator() {
        return new MmdAggregator(mmdSign, mmdTemperature, mmdThreshold, mmdDataWeights);
    }

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
            + "rounds (default: ${DEFAULT-VALUE}).")
    public int evalEvery = 5;

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

    /** Differential-privacy options (--dp-*). */
    @Mixin
    public DpOptions dp = new DpOptions();

    @Option(names = "--out", description = "Output directory (default: runs/<model>-<aggregator>, or "
            + "runs/<model>-centralized).")
    public Path out;

    /** The output directory, defaulted from model and aggregator. */
    public Path outputDirectory() {
        return out != null ? out : Path.of("runs", model + "-" + (centralized ? "centralized" : aggregator));
    }

    /** Checks option values, naming the first bad one. */
    public void validate() {
        require(clients >= 1, "--clients must be >= 1, got " + clients);
        require(clientsPerRound >= 0, "--clients-per-round must be >= 0, got " + clientsPerRound);
        require(rounds >= 1, "--rounds must be >= 1, got " + rounds);
        require(localEpochs >= 1 || localSteps >= 1, "--local-epochs or --local-steps must be >= 1");
        require(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "--lr must be > 0, got " + learningRate);
        require(mu > 0 && Double.isFinite(mu), "--mu must be > 0, got " + mu);
        require(alpha > 0 && Double.isFinite(alpha), "--alpha must be > 0, got " + alpha);
        require(shardSize >= 1, "--shard-size must be >= 1, got " + shardSize);
        require(workers >= 1, "--workers must be >= 1, got " + workers);
        require(evalEvery >= 1, "--eval-every must be >= 1, got " + evalEvery);
        require(samples >= 0, "--samples must be >= 0, got " + samples);
        require(qualitySamples == 0 || qualitySamples >= 4, "--quality-samples must be 0 or >= 4, got "
                + qualitySamples);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
