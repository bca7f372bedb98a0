package org.fedgen.models.gan;

/**
 * What one MD-GAN iteration did.
 *
 * @param iteration         0-based index of the iteration
 * @param generatorLoss     data-weighted mean (n_k/N) over clients of their L_G
 * @param discriminatorLoss data-weighted mean over clients of their mean D loss (NaN when L = 0)
 * @param swapped           whether the clients' discriminators were permuted after this iteration
 * @param traffic           bytes exchanged in this iteration, by direction
 */
public record MdGanIteration(long iteration, double generatorLoss, double discriminatorLoss, boolean swapped,
        MdGanTraffic traffic) {
}
