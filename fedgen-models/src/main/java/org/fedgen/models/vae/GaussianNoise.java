package org.fedgen.models.vae;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** A private, seeded native generator of standard normal noise (never ND4J's global generator). */
final class GaussianNoise implements AutoCloseable {
    private final Random rng;

    GaussianNoise(long seed) {
        this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    /** Overwrites {@code target} with independent N(0, 1) draws. */
    void fill(INDArray target) {
        Nd4j.getExecutioner().exec(new GaussianDistribution(target, 0.0, 1.0), rng);
    }

    @Override
    public void close() {
        try {
            rng.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release the native random generator", e);
        }
    }
}
