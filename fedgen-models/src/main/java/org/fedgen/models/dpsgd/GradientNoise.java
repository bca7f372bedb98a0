package org.fedgen.models.dpsgd;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A source of the DP-SGD Gaussian noise. fedgen-models does not implement a cryptographically secure one itself: the
 * run supplies one (fedgen-privacy's AES-CTR {@code GaussianNoise}, whose {@code addTo} has this shape).
 */
@FunctionalInterface
public interface GradientNoise {
    /** Adds independent N(0, std²) noise to every element of the float32 vector {@code target}, in place. */
    void addTo(INDArray target, double std);
}
