package org.fedgen.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.fedgen.core.Aggregator;
import org.fedgen.core.GenerativeModel;
import org.fedgen.core.ModelState;
import org.fedgen.core.aggregate.ExponentialMovingAverage;
import org.fedgen.core.data.Dataset;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.metrics.DigitsClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DDPM (see {@link DdpmSettings}) with any aggregator, optionally wrapped in a server-side
 * {@link ExponentialMovingAverage}: evaluation and samples then use the average, and its state is in the checkpoint.
 */
final class DdpmRecipe implements ModelRecipe {
    private final DdpmSettings options;
    private final Ddpm serverModel;
    private final SamplingAverage average = new SamplingAverage();
    private final int qualitySamples;
    private final int height;
    private final int width;
    private final ConditionalAccuracy accuracy = new ConditionalAccuracy(DigitsClassifier::load);

    /** For rows of {@code features} values (an MLP denoiser on table rows): images of 1 × features. */
    DdpmRecipe(DdpmSettings options, int qualitySamples, int features) {
        this(options, qualitySamples, 1, features);
    }

    /**
     * @param qualitySamples samples per evaluation; a conditional model also reports accuracy
     * @param height         image height of the data
     * @param width          image width of the data
     */
    DdpmRecipe(DdpmSettings options, int qualitySamples, int height, int width) {
        this.options = options;
        this.height = height;
        this.width = width;
        this.serverModel = DdpmModels.newModel(options, height, width);
        this.qualitySamples = qualitySamples;
    }

    @Override
    public Supplier<GenerativeModel> factory() {
        return () -> DdpmModels.newModel(options, height, width);
    }

    /** {@code base}, wrapped in the EMA unless the EMA decay is 0; the recipe samples from the last one it made. */
    @Override
    public Aggregator aggregator(RunConfig o, Aggregator base) {
        return average.wrap(base, options.emaDecay());
    }

    @Override
    public String generatorPart() {
        return Ddpm.PART;
    }

    /**
     * The ε-loss on the held-out digits, and for a conditional model with quality samples &gt; 0 whether it draws the
     * requested digits ({@code cond_accuracy}, see {@code ConditionalAccuracy}); the rest of sample quality is
     * measured by the run's quality samples.
     */
    @Override
    public Map<String, Double> evaluate(ModelState global, Dataset heldOut, long seed) {
        serverModel.load(average.state(global));
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("eps_loss", serverModel.evaluate(heldOut, seed).get("loss"));
        if (serverModel.conditional() && qualitySamples > 0) {
            m.putAll(accuracy.measure(serverModel::sample, serverModel.denoiser().numClasses(),
                    Math.max(10, qualitySamples), seed));
        }
        return m;
    }

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
