package org.fedgen.models.gan;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A client's answer in one MD-GAN iteration.
 *
 * @param inputGradient     ∂L_G/∂X for the generated batch X it received ([B, d], L_G the mean generator loss over
 *                          the batch under the client's updated discriminator)
 * @param generatorLoss     L_G
 * @param discriminatorLoss the mean discriminator loss over its L local steps (NaN when L = 0)
 */
public record MdGanFeedback(INDArray inputGradient, double generatorLoss, double discriminatorLoss) {
}
