package org.fedgen.examples.run;

import java.util.Map;
import java.util.function.Supplier;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GenerativeModel;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How the CLI builds, evaluates and samples one model family. One instance also owns the server's own model (used on
 * the server thread only, for evaluation and samples); workers get fresh instances from {@link #factory()}.
 */
interface ModelRecipe {
    /** Creates a fresh model for a worker thread. */
    Supplier<GenerativeModel> factory();

    /** Instructions defaults for this family (learning rate etc. from the options). */
    FitInstructions.Builder fitDefaults(RunOptions options);

    /** Server-side metrics of a global state on the held-out digits. */
    Map<String, Double> evaluate(ModelState global, Dataset heldOut, long seed);

    /** n samples [n, 784] in [0, 1] from a global state. */
    INDArray sample(ModelState global, int n, long seed);
}
