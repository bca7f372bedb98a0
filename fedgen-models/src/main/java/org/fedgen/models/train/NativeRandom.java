package org.fedgen.models.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A private, seeded ND4J generator (never ND4J's global one) that fills float32 arrays with N(0, 1) or U[0, 1) draws.
 * Close it (try-with-resources) to release its native state; closing never throws a checked exception. Draws from one
 * instance follow each other in call order, so the same seed and the same calls give the same bits. Not thread-safe.
 */
public final class NativeRandom implements AutoCloseable {
    private final Random rng;

    /** A generator seeded with {@code seed}. */
    public NativeRandom(long seed) {
        this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    /** Overwrites {@code target} with independent N(0, 1) draws; returns it. */
    public INDArray gaussian(INDArray target) {
        return Nd4j.getExecutioner().exec(new GaussianDistribution(target, 0.0, 1.0), rng);
    }

    /** Overwrites {@code target} with independent U[0, 1) draws; returns it. */
    public INDArray uniform(INDArray target) {
        return Nd4j.getExecutioner().exec(new UniformDistribution(target, 0.0, 1.0), rng);
    }

    /** A new [rows, columns] float32 matrix of N(0, 1) draws. */
    public INDArray gaussian(long rows, long columns) {
        return gaussian(Nd4j.create(DataType.FLOAT, rows, columns));
    }

    /** A new [rows, columns] float32 matrix of U[0, 1) draws. */
    public INDArray uniform(long rows, long columns) {
        return uniform(Nd4j.create(DataType.FLOAT, rows, columns));
    }

    /** The underlying generator, for ND4J calls that take one (e.g. a diffusion sampler); closed with this. */
    public Random generator() {
        return rng;
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
