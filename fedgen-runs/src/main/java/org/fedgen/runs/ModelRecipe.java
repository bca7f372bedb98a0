package org.fedgen.runs;

import java.util.Map;
import java.util.function.Supplier;
import org.fedgen.core.Aggregator;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GenerativeModel;
import org.fedgen.core.ModelState;
import org.fedgen.core.ServerStep;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a run builds, aggregates, evaluates and samples one model family (and topology). An instance also owns the
 * server's own model, used on the server thread only for evaluation and samples; workers get fresh instances from
 * {@link #factory()}.
 */
public interface ModelRecipe {
    /** Creates a fresh model for a worker thread. */
    Supplier<GenerativeModel> factory();

    /**
     * Instruction defaults for this family: learning rate, batch size, local epochs and steps from the configuration
     * (every family so far uses exactly these; one that needs more overrides this).
     */
    default FitInstructions.Builder fitDefaults(RunConfig o) {
        return FitInstructions.builder().learningRate(o.learningRate()).batchSize(o.batchSize())
                .localEpochs(o.localEpochs()).localSteps(o.localSteps());
    }

    /**
     * The aggregator of a run, given the one the configuration chose for the shared parts; a family routes its parts
     * here (e.g. a GAN topology that trains the generator on the server). The default uses {@code base} for every part.
     */
    default Aggregator aggregator(RunConfig config, Aggregator base) {
        return base;
    }

    /** Server-side training after aggregation, or null for none. */
    default ServerStep serverStep(RunConfig config) {
        return null;
    }

    /** The part that plays the generator's role (scored by the MMD aggregator). */
    String generatorPart();

    /** Server-side metrics of a global state on the held-out examples. */
    Map<String, Double> evaluate(ModelState global, Dataset heldOut, long seed);

    /** n samples [n, d] in [0, 1] from a global state (d = 784 for the digits, the encoded width for a table). */
    INDArray sample(ModelState global, int n, long seed);

    /**
     * One sample [1, d] in [0, 1] per requested label from a conditional model's global state.
     *
     * @throws IllegalArgumentException if the model is not conditional (the default)
     */
    default INDArray sample(ModelState global, int[] labels, long seed) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " draws no samples of requested labels: the "
                + "model is not conditional");
    }
}
