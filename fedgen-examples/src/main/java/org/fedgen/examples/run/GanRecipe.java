package org.fedgen.examples.run;

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
import org.fedgen.models.gan.GeneratorTrainer;
import org.fedgen.models.metrics.DigitsClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The federated GAN family on the bundled digits: an MLP GAN ({@link Gan}) and, per {@link GanTopology}, how its
 * generator and discriminator parts are aggregated and trained. MD-GAN does not use the round loop and runs through
 * {@link MdGanRun}; its recipe still builds the model, samples and evaluates.
 */
public final class GanRecipe implements ModelRecipe {
    private final GanOptions gan;
    private final GanConfig config;
    private final Gan serverModel;
    private final int qualitySamples;
    private final ConditionalAccuracy quality = new ConditionalAccuracy(DigitsClassifier::load);
    /** FL-GAN / IFL-GAN with --generator-average: the server's moving average of the global model over rounds. */
    private final SamplingAverage average = new SamplingAverage();

    /** A recipe for the options' topology and loss; call {@link GanDefaults#apply} on the options first. */
    public GanRecipe(RunOptions options) {
        this(options, new double[0]);
    }

    /**
     * As {@link #GanRecipe(RunOptions)}, with a generator coded by source when {@code sourceWeights} is not empty
     * (MD-GAN's {@code --client-codes}: one weight per client, its number of training examples).
     */
    public GanRecipe(RunOptions options, double[] sourceWeights) {
        this.gan = options.gan;
        this.config = config(options).toBuilder().sourceWeights(sourceWeights).build();
        this.serverModel = new Gan(config);
        this.qualitySamples = options.qualitySamples;
    }

    /** The architecture used for digits: tuned for a few CPU minutes without mode collapse. */
    public static GanConfig config(RunOptions o) {
        return GanConfig.builder().latentDim(64).generatorHidden(GanDefaults.GENERATOR_HIDDEN)
                .discriminatorHidden(GanDefaults.DISCRIMINATOR_HIDDEN).numClasses(o.gan.conditional ? 10 : 0)
                .classLossWeight(o.gan.classLossWeight).pack(o.gan.pack)
                .loss(o.gan.loss).criticSteps(o.gan.effectiveCriticSteps()).learningRate(o.learningRate)
                .betas(0.5, o.gan.loss == GanLoss.WGAN_GP ? 0.9 : 0.999)
                .realLabel(o.gan.loss == GanLoss.WGAN_GP ? 1.0 : 0.9).build();
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
     * {@code --aggregator mmd}, base already is that policy).
     */
    @Override
    public Aggregator aggregator(RunOptions o, Aggregator base) {
        Aggregator topologyAggregator = switch (gan.topology) {
            case FLGAN -> base;
            case DPFEDAVG_GAN -> {
                if (o.aggregator == RunOptions.AggregatorKind.mmd) {
                    throw new IllegalArgumentException("--aggregator mmd scores the generator, which DP-FedAvg-GAN "
                            + "clients do not train; use fedavg, fedsgd or fedprox");
                }
                yield PartPolicy.builder().serverTrained(Gan.GENERATOR).otherwise(base).build();
            }
            case IFLGAN -> o.aggregator == RunOptions.AggregatorKind.mmd ? base
                    : PartPolicy.builder()
                            .route(o.mmdAggregator(), Gan.GENERATOR)
                            .otherwise(base).build();
            case MDGAN -> throw new IllegalStateException("MD-GAN has no aggregator; it runs through MdGanRun");
        };
        return average.wrap(topologyAggregator, gan.generatorAverageDecay);
    }

    /** DP-FedAvg-GAN: n_gen generator steps against the aggregated discriminator; none for the other topologies. */
    @Override
    public ServerStep serverStep(RunOptions o) {
        if (gan.topology != GanTopology.DPFEDAVG_GAN) {
            return null;
        }
        return new GeneratorServerStep(new GeneratorTrainer(config, gan.generatorSteps, o.batchSize,
                o.learningRate));
    }

    @Override
    public String generatorPart() {
        return Gan.GENERATOR;
    }

    /**
     * The discriminator's scores on the held-out digits ({@code d_real}, {@code d_fake}, {@code g_loss}) and, for a
     * conditional GAN with {@code --quality-samples} &gt; 0, whether it draws the requested digits (see
     * {@link ConditionalAccuracy}).
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
