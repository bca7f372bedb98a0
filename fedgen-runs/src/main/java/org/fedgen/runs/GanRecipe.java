package org.fedgen.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.fedgen.core.Aggregator;
import org.fedgen.core.GenerativeModel;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.ServerStep;
import org.fedgen.core.data.Dataset;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanConfig;
import org.fedgen.models.gan.GanLoss;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.models.gan.GeneratorServerStep;
import org.fedgen.models.gan.GeneratorTrainer;
import org.fedgen.models.metrics.DigitsClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The federated GAN family on the bundled digits: an MLP GAN ({@link Gan}) and, per {@link GanTopology}, how its
 * generator and discriminator parts are aggregated and trained. MD-GAN's round is its server step ({@code MdGanRun}):
 * its generator is server-trained and its discriminators stay on the clients.
 */
public final class GanRecipe implements ModelRecipe {
    private final GanSettings gan;
    private final GanConfig config;
    private final Gan serverModel;
    private final int qualitySamples;
    private final ConditionalAccuracy quality = new ConditionalAccuracy(DigitsClassifier::load);
    /** FL-GAN / IFL-GAN with --generator-average: the server's moving average of the global model over rounds. */
    private final SamplingAverage average = new SamplingAverage();

    /**
     * A recipe for the configuration's topology and loss.
     *
     * @throws ClassCastException if the configuration's model is not a GAN
     */
    public GanRecipe(RunConfig config) {
        this(config, new double[0]);
    }

    /**
     * As {@link #GanRecipe(RunConfig)}, with a generator coded by source when {@code sourceWeights} is not empty
     * (MD-GAN's client codes: one weight per client, its number of training examples).
     */
    public GanRecipe(RunConfig run, double[] sourceWeights) {
        this.gan = (GanSettings) run.model();
        this.config = config(run).toBuilder().sourceWeights(sourceWeights).build();
        this.serverModel = new Gan(config);
        this.qualitySamples = run.qualitySamples();
    }

    /** The architecture used for digits (tuned for a few CPU minutes without mode collapse), sized to the data. */
    public static GanConfig config(RunConfig o) {
        GanSettings g = (GanSettings) o.model();
        int[] item = DataFit.itemShape(o);
        return GanConfig.builder().dataDim(item[0] * item[1] * item[2]).latentDim(64).generatorHidden(GanDefaults.GENERATOR_HIDDEN)
                .discriminatorHidden(GanDefaults.DISCRIMINATOR_HIDDEN).numClasses(g.conditional() ? 10 : 0)
                .classLossWeight(g.classLossWeight()).twinClassifier(g.twinClassifier()).pack(g.pack())
                .loss(g.loss()).criticSteps(g.effectiveCriticSteps()).learningRate(o.learningRate())
                .betas(0.5, g.loss() == GanLoss.WGAN_GP ? 0.9 : 0.999)
                .realLabel(g.loss() == GanLoss.WGAN_GP ? 1.0 : 0.9).build();
    }

    /** The run's GAN settings. */
    public GanSettings settings() {
        return gan;
    }

    /** The GAN configuration of this recipe. */
    public GanConfig config() {
        return config;
    }

    @Override
    public Supplier<GenerativeModel> factory() {
        GanConfig c = config;
        return () -> new Gan(c);
    }

    /**
     * FL-GAN: {@code base} for both parts. DP-FedAvg-GAN: {@code base} for the discriminator, the generator is
     * server-trained. IFL-GAN: the MMD aggregator for the generator, {@code base} for the discriminator (with
     * the mmd aggregator, base already is that policy). MD-GAN: the generator is server-trained (by its exchange with
     * the clients, {@code MdGanRun}) and the discriminators stay on the clients.
     */
    @Override
    public Aggregator aggregator(RunConfig o, Aggregator base) {
        Aggregator topologyAggregator = switch (gan.topology()) {
            case FLGAN -> base;
            case DPFEDAVG_GAN -> {
                if (o.aggregator() == AggregatorKind.mmd) {
                    throw new IllegalArgumentException("--aggregator mmd scores the generator, which DP-FedAvg-GAN "
                            + "clients do not train; use fedavg, fedsgd or fedprox");
                }
                yield PartPolicy.builder().serverTrained(Gan.GENERATOR).otherwise(base).build();
            }
            case IFLGAN -> o.aggregator() == AggregatorKind.mmd ? base
                    : PartPolicy.builder()
                            .route(FederatedRun.mmdAggregator(o), Gan.GENERATOR)
                            .otherwise(base).build();
            case MDGAN -> {
                if (o.aggregator() != AggregatorKind.fedavg) {
                    throw new IllegalArgumentException("--aggregator " + o.aggregator() + " does not apply to mdgan, "
                            + "which aggregates no client updates (its generator is trained on the server)");
                }
                yield PartPolicy.builder().serverTrained(Gan.GENERATOR).localOnly(Gan.DISCRIMINATOR).build();
            }
        };
        // MD-GAN averages its generator over iterations inside its server step, not over rounds
        return average.wrap(topologyAggregator, gan.topology() == GanTopology.MDGAN ? 0
                : gan.generatorAverageDecay());
    }

    /** DP-FedAvg-GAN: n_gen generator steps against the aggregated discriminator; none for the other topologies. */
    @Override
    public ServerStep serverStep(RunConfig o) {
        if (gan.topology() != GanTopology.DPFEDAVG_GAN) {
            return null;
        }
        return new GeneratorServerStep(new GeneratorTrainer(config, gan.generatorSteps(), o.batchSize(),
                o.learningRate()));
    }

    @Override
    public String generatorPart() {
        return Gan.GENERATOR;
    }

    /**
     * The discriminator's scores on the held-out digits ({@code d_real}, {@code d_fake}, {@code g_loss}) and, for a
     * conditional GAN with quality samples &gt; 0, whether it draws the requested digits (see
     * {@code ConditionalAccuracy}).
     */
    @Override
    public Map<String, Double> evaluate(ModelState global, Dataset heldOut, long seed) {
        serverModel.load(average.state(global));
        Map<String, Double> out = new LinkedHashMap<>();
        if (global.has(Gan.DISCRIMINATOR)) {
            Map<String, Double> m = serverModel.evaluate(heldOut, seed);
            out.put("d_real", m.get("d_real"));
            out.put("d_fake", m.get("d_fake"));
            out.put("g_loss", m.get("g_loss"));
        }
        if (config.conditional() && qualitySamples > 0) {
            out.putAll(quality.measure(serverModel::sample, config.numClasses(), Math.max(10, qualitySamples), seed));
        }
        return out;
    }

    /** Unconditional samples; a conditional model cycles the labels 0…9 over the rows. */
    @Override
    public INDArray sample(ModelState global, int n, long seed) {
        serverModel.load(average.state(global));
        return serverModel.sample(n, seed);
    }

    @Override
    public INDArray sample(ModelState global, int[] labels, long seed) {
        serverModel.load(average.state(global));
        return serverModel.sample(labels, seed);
    }
}
