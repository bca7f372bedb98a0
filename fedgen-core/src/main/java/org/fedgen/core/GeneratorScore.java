package org.fedgen.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a client scores its own generator against its real data for the MMD aggregator (lower = closer). The default
 * used by the simulation is the unbiased Gaussian-kernel MMD² with a median-heuristic bandwidth on pixels.
 */
@FunctionalInterface
public interface GeneratorScore {
    /**
     * @param real      [n, d] real local examples
     * @param generated [n, d] samples of the client's generator
     */
    double score(INDArray real, INDArray generated);
}
