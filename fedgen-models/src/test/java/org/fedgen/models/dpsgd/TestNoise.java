package org.fedgen.models.dpsgd;

import org.fedgen.models.train.NativeRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A seeded Gaussian noise source for tests (not secure). */
public final class TestNoise {
    private TestNoise() {
    }

    /** Seeded N(0, std²) noise per fit seed, from ND4J's native generator. */
    public static GradientNoise seeded(long fitSeed) {
        NativeRandom rng = new NativeRandom(fitSeed ^ 0x5DEECE66DL);
        return (INDArray target, double std) -> target.addi(rng.gaussian(target.dup()).muli(std));
    }
}
