package org.fedgen.models.vae;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layers of a VAE as views into its two flat vectors (parameters or gradients, laid out alike).
 *
 * <p>Encoder vector: hidden layer W [in + classes, hidden], b [hidden]; mean head W [hidden, latent], b [latent];
 * log-variance head W [hidden, latent], b [latent]. Decoder vector: hidden layer W [latent + classes, hidden],
 * b [hidden]; output layer W [hidden, in], b [in]. Matrices are row-major; the label rows follow the data rows.
 */
final class VaeLayout {
    final INDArray encoder;
    final INDArray decoder;
    final DenseView encHidden;
    final DenseView encMean;
    final DenseView encLogVar;
    final DenseView decHidden;
    final DenseView decOutput;

    VaeLayout(VaeConfig c, INDArray encoder, INDArray decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
        int d = c.inputDim();
        int h = c.hiddenDim();
        int l = c.latentDim();
        int k = c.numClasses();
        encHidden = DenseView.at(encoder, 0, d, k, h);
        encMean = DenseView.at(encoder, encHidden.end(), h, 0, l);
        encLogVar = DenseView.at(encoder, encMean.end(), h, 0, l);
        decHidden = DenseView.at(decoder, 0, l, k, h);
        decOutput = DenseView.at(decoder, decHidden.end(), h, 0, d);
        if (encLogVar.end() != c.encoderSize() || decOutput.end() != c.decoderSize()) {
            throw new IllegalStateException("layout does not match the config sizes");
        }
    }
}
