package org.fedgen.models.vae;

import org.fedgen.models.dpsgd.GhostNorms;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.loss.SigmoidCrossEntropyLoss;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hand-written forward and backward passes of the MLP VAE on preallocated {@link VaeBuffers}. Gradients are written
 * into the gradient layout as sums over the batch rows (not yet divided by the batch size), so callers can scale per
 * batch or accumulate over chunks.
 *
 * <p>Per example: loss = BCE(x, logits) summed over pixels + beta * KL, with
 * KL = -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j)) and z = mu + exp(logvar / 2) * eps.
 */
final class VaeNetwork {
    private final VaeLayout params;
    private final VaeLayout grads;

    VaeNetwork(VaeLayout params, VaeLayout grads) {
        this.params = params;
        this.grads = grads;
    }

    /** Runs encoder, reparameterisation (with the noise already in {@code b.eps}) and decoder. */
    void forward(VaeBuffers b) {
        affine(b.x, b.y, params.encHidden, b.h1Pre);
        Nd4j.exec(new RectifiedLinear(b.h1Pre, b.h1, 0.0));
        affine(b.h1, null, params.encMean, b.mu);
        affine(b.h1, null, params.encLogVar, b.logVar);
        Nd4j.exec(new ScalarMultiplication(b.logVar, null, b.std, 0.5));
        Nd4j.exec(new Exp(b.std, b.std));
        Nd4j.exec(new MulOp(b.std, b.eps, b.z));
        b.z.addi(b.mu);
        decode(b.z, b.y, b.d1Pre, b.d1, b.logits);
    }

    /** Decoder logits for latent codes {@code z} (and one-hot labels {@code y}, or null), into the given buffers. */
    void decode(INDArray z, INDArray y, INDArray d1Pre, INDArray d1, INDArray logits) {
        affine(z, y, params.decHidden, d1Pre);
        Nd4j.exec(new RectifiedLinear(d1Pre, d1, 0.0));
        affine(d1, null, params.decOutput, logits);
    }

    /** Sum over rows and pixels of the numerically stable BCE with logits, max(l,0) - l*x + log(1+exp(-|l|)). */
    static double reconstructionSum(INDArray x, INDArray logits) {
        return Nd4j.exec(new SigmoidCrossEntropyLoss(x, logits, null, LossReduce.SUM, 0.0))[0].getDouble(0);
    }

    /** Sum over rows of KL(N(mu, std^2) || N(0, I)) of the last {@link #forward}. */
    static double klSum(VaeBuffers b) {
        double sumLogVar = b.logVar.sumNumber().doubleValue();
        double sumMu2 = Nd4j.getBlasWrapper().dot(b.mu, b.mu);
        double sumVar = Nd4j.getBlasWrapper().dot(b.std, b.std);
        return -0.5 * ((double) b.rows * b.mu.columns() + sumLogVar - sumMu2 - sumVar);
    }

    /**
     * Back-propagates the summed loss of the last {@link #forward} into the gradient layout. Only the requested parts
     * get gradients; the decoder is still traversed when only the encoder is trained.
     */
    void backward(VaeBuffers b, boolean encoder, boolean decoder, double beta) {
        backward(b, encoder, decoder, beta, null, null);
    }

    /**
     * {@link #backward(VaeBuffers, boolean, boolean, double)} of the weighted loss Σ_i w_i loss_i with
     * {@code rowWeights} w [rows, 1] (null: all 1). With {@code normSq} non-null nothing is written into the gradient
     * layout; instead each example's squared gradient norm over the requested parts is added to it (ghost norms).
     */
    void backward(VaeBuffers b, boolean encoder, boolean decoder, double beta, INDArray rowWeights, INDArray normSq) {
        boolean grads = normSq == null;
        // dLoss/dlogits = sigmoid(logits) - x per pixel.
        Nd4j.exec(new Sigmoid(b.logits, b.dLogits));
        b.dLogits.subi(b.x);
        if (rowWeights != null) {
            b.dLogits.muliColumnVector(rowWeights);
        }
        if (decoder && grads) {
            Nd4j.gemm(b.d1, b.dLogits, this.grads.decOutput.weights, true, false, 1.0, 0.0);
            b.dLogits.sum(this.grads.decOutput.bias, 0);
        } else if (decoder) {
            GhostNorms.addDense(normSq, GhostNorms.rowSquares(b.d1), b.dLogits, true);
        }
        Nd4j.gemm(b.dLogits, params.decOutput.weights, b.dHidden, false, true, 1.0, 0.0);
        Nd4j.exec(new RectifiedLinearDerivative(b.d1Pre, b.dHidden, b.dHiddenPre));
        if (decoder && grads) {
            Nd4j.gemm(b.z, b.dHiddenPre, this.grads.decHidden.dataWeights, true, false, 1.0, 0.0);
            if (b.y != null) {
                Nd4j.gemm(b.y, b.dHiddenPre, this.grads.decHidden.labelWeights, true, false, 1.0, 0.0);
            }
            b.dHiddenPre.sum(this.grads.decHidden.bias, 0);
        } else if (decoder) {
            GhostNorms.addDense(normSq, inputSquares(b.z, b.y), b.dHiddenPre, true);
        }
        if (!encoder) {
            return;
        }
        Nd4j.gemm(b.dHiddenPre, params.decHidden.dataWeights, b.dz, false, true, 1.0, 0.0);
        // dmu = dz + beta * mu
        Nd4j.exec(new ScalarMultiplication(b.mu, null, b.dMu, beta));
        if (rowWeights != null) {
            b.dMu.muliColumnVector(rowWeights);
        }
        b.dMu.addi(b.dz);
        // dlogvar = 1/2 * (dz * eps * std + beta * (std^2 - 1)), since dz/dlogvar = eps * std / 2.
        Nd4j.exec(new MulOp(b.dz, b.eps, b.dLogVar));
        b.dLogVar.muli(b.std);
        Nd4j.exec(new MulOp(b.std, b.std, b.latentScratch));
        b.latentScratch.subi(1.0);
        if (rowWeights != null) {
            b.latentScratch.muliColumnVector(rowWeights);
        }
        Nd4j.getBlasWrapper().level1().axpy(b.latentScratch.length(), beta, b.latentScratch, b.dLogVar);
        b.dLogVar.muli(0.5);

        if (grads) {
            Nd4j.gemm(b.h1, b.dMu, this.grads.encMean.weights, true, false, 1.0, 0.0);
            b.dMu.sum(this.grads.encMean.bias, 0);
            Nd4j.gemm(b.h1, b.dLogVar, this.grads.encLogVar.weights, true, false, 1.0, 0.0);
            b.dLogVar.sum(this.grads.encLogVar.bias, 0);
        } else {
            INDArray h1Sq = GhostNorms.rowSquares(b.h1);
            GhostNorms.addDense(normSq, h1Sq, b.dMu, true);
            GhostNorms.addDense(normSq, h1Sq, b.dLogVar, true);
        }
        Nd4j.gemm(b.dMu, params.encMean.weights, b.dHidden, false, true, 1.0, 0.0);
        Nd4j.gemm(b.dLogVar, params.encLogVar.weights, b.dHidden, false, true, 1.0, 1.0);
        Nd4j.exec(new RectifiedLinearDerivative(b.h1Pre, b.dHidden, b.dHiddenPre));
        if (!grads) {
            GhostNorms.addDense(normSq, inputSquares(b.x, b.y), b.dHiddenPre, true);
            return;
        }
        Nd4j.gemm(b.x, b.dHiddenPre, this.grads.encHidden.dataWeights, true, false, 1.0, 0.0);
        if (b.y != null) {
            Nd4j.gemm(b.y, b.dHiddenPre, this.grads.encHidden.labelWeights, true, false, 1.0, 0.0);
        }
        b.dHiddenPre.sum(this.grads.encHidden.bias, 0);
    }

    /** ‖[v_i, y_i]‖² per row: a conditional layer's input is the data row and the one-hot label. */
    private static INDArray inputSquares(INDArray v, INDArray y) {
        INDArray sq = GhostNorms.rowSquares(v);
        return y == null ? sq : sq.addi(GhostNorms.rowSquares(y));
    }

    private static void affine(INDArray in, INDArray labels, DenseView layer, INDArray out) {
        Nd4j.gemm(in, layer.dataWeights, out, false, false, 1.0, 0.0);
        if (labels != null) {
            Nd4j.gemm(labels, layer.labelWeights, out, false, false, 1.0, 1.0);
        }
        out.addiRowVector(layer.bias);
    }
}
