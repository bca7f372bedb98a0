package org.fedgen.models.dpsgd;

import org.fedgen.models.train.NativeRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A seeded Gaussian noise source for tests (not secure). */
public final class TestNoise {
    private TestNoise() {
    }

    /** Seeded N(0, std²) noise per fit seed, from ND4J's native generator. */
    public static GradientNoise seeded(long fitSeed) {
        NativeRandom rng = new NativeRandom(fitSeed ^ 0x5DEECE66DL);
        INDArray[] buffer = new INDArray[1];
        return (INDArray target, double std) -> {
            if (buffer[0] == null || buffer[0].length() != target.length()) {
                buffer[0] = target.ulike();
            }
            Nd4j.getBlasWrapper().level1().axpy(target.length(), std, rng.gaussian(buffer[0]), target);
        };
    }
}
