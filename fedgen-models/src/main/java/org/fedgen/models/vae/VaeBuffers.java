package org.fedgen.models.vae;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Preallocated activations and their gradients for one batch size, reused across steps so a training step allocates
 * no large arrays. Every buffer is fully overwritten before it is read, so no state leaks between calls.
 */
final class VaeBuffers {
    final int rows;
    final INDArray x;
    /** One-hot labels [rows, classes], or null for the unconditional model. */
    final INDArray y;
    final INDArray h1Pre;
    final INDArray h1;
    final INDArray mu;
    final INDArray logVar;
    final INDArray std;
    final INDArray eps;
    final INDArray z;
    final INDArray d1Pre;
    final INDArray d1;
    final INDArray logits;
    final INDArray dLogits;
    /** Hidden-width scratch: first the decoder's, then the encoder's, hidden gradients. */
    final INDArray dHidden;
    final INDArray dHiddenPre;
    final INDArray dz;
    final INDArray dMu;
    final INDArray dLogVar;
    final INDArray latentScratch;

    VaeBuffers(VaeConfig c, int rows) {
        this.rows = rows;
        int d = c.inputDim();
        int h = c.hiddenDim();
        int l = c.latentDim();
        x = m(rows, d);
        y = c.isConditional() ? m(rows, c.numClasses()) : null;
        h1Pre = m(rows, h);
        h1 = m(rows, h);
        mu = m(rows, l);
        logVar = m(rows, l);
        std = m(rows, l);
        eps = m(rows, l);
        z = m(rows, l);
        d1Pre = m(rows, h);
        d1 = m(rows, h);
        logits = m(rows, d);
        dLogits = m(rows, d);
        dHidden = m(rows, h);
        dHiddenPre = m(rows, h);
        dz = m(rows, l);
        dMu = m(rows, l);
        dLogVar = m(rows, l);
        latentScratch = m(rows, l);
    }

    private static INDArray m(int r, int c) {
        return Nd4j.create(DataType.FLOAT, new long[] {r, c}, 'c');
    }
}
