package org.fedgen.models.gan;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the MD-GAN server ({@link MdGanTrainer}) needs from a client: the in-process {@link MdGanClient} implements it
 * now; a remote transport can implement it later. Every array that crosses this interface is what crosses the wire.
 */
public interface MdGanClientEndpoint {
    /** Number of local training examples (sets the length of an MD-GAN epoch). */
    int numExamples();

    /**
     * Runs {@code discriminatorSteps} discriminator steps on local real minibatches against {@code generated}, then
     * returns the generator-loss gradient with respect to {@code generated} under the updated discriminator.
     *
     * @param generated [B, d] generator output X = G(z)
     * @param labels    the B labels G was conditioned on, or null for an unconditional GAN
     * @param seed      seed of this call's random choices (minibatches, interpolation weights)
     */
    MdGanFeedback discriminatorFeedback(INDArray generated, int[] labels, int discriminatorSteps, long seed);

    /** A copy of the client's discriminator parameters (sent to a peer in a swap). */
    INDArray exportDiscriminator();

    /** Replaces the client's discriminator parameters (received from a peer in a swap). */
    void importDiscriminator(INDArray parameters);
}
