package org.fedgen.runs.output;

import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Draws samples from a global state: what the sample-writing listeners need from a model family. */
@FunctionalInterface
public interface Sampler {
    /** {@code n} samples [n, features] in [0, 1] from {@code global}, drawn with {@code seed}. */
    INDArray sample(ModelState global, int n, long seed);
}
