package org.fedgen.models.gan;

import org.fedgen.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The generator and discriminator of a GAN with their loss gradients: the numerical core shared by {@link Gan},
 * {@link GeneratorTrainer} and the MD-GAN classes. Parameters are two flat vectors (one per part); gradients are left
 * in each network's gradient vector. Not thread-safe.
 */
final class GanNetworks {
    private static final int SLOT_D_TRAIN = 0;
    private static final int SLOT_D_PENALTY = 1;
    private static final int SLOT_D_FOR_G = 2;
    private static final int SLOT_D_EVAL = 3;
    private static final int SLOT_G_TRAIN = 0;
    private static final int SLOT_G_SAMPLE = 1;

    final GanConfig config;
    final Mlp generator;
    final Mlp discriminator;
    private final GradientPenalty penalty;
    private final DataType dataType;

    /** ∂L_G/∂x for a generated batch, and L_G. The gradient is a buffer reused by the next call. */
    record Feedback(INDArray inputGradient, double loss) {
    }

    GanNetworks(GanConfig config, DataType dataType) {
        this.config = config;
        this.dataType = dataType;
        int[] g = config.generatorLayers();
        int[] d = config.discriminatorLayers();
        this.generator = new Mlp(g, config.leakySlope(), config.outputActivation() == OutputActivation.SIGMOID
                ? Mlp.Output.SIGMOID : Mlp.Output.TANH_RESCALED, Nd4j.create(dataType, Mlp.numParams(g)));
        this.discriminator = new Mlp(d, config.leakySlope(), Mlp.Output.IDENTITY,
                Nd4j.create(dataType, Mlp.numParams(d)));
        this.penalty = config.loss() == GanLoss.WGAN_GP ? new GradientPenalty(discriminator, config.dataDim()) : null;
    }

    DataType dataType() {
        return dataType;
    }

    /** Re-draws both networks' parameters from the seed (independent streams per part). */
    void initialize(long seed) {
        try (Random rg = Nd4j.getRandomFactory().getNewRandomInstance(Seeds.derive(seed, "gan-init-generator"));
                Random rd = Nd4j.getRandomFactory().getNewRandomInstance(
                        Seeds.derive(seed, "gan-init-discriminator"))) {
            generator.initialize(rg);
            discriminator.initialize(rd);
        } catch (Exception e) {
            throw new IllegalStateException("closing ND4J random generator failed", e);
        }
    }

    /**
     * G(z, y) for training (masks kept so {@link #generatorBackward} can follow).
     *
     * @return the output buffer, valid until the next generator pass with the same batch size
     */
    INDArray generate(INDArray z, int[] labels) {
        return generate(z, labels, SLOT_G_TRAIN, true);
    }

    /** G(z, y) without keeping masks, in a buffer separate from the training pass. */
    INDArray sample(INDArray z, int[] labels) {
        return generate(z, labels, SLOT_G_SAMPLE, false);
    }

    private INDArray generate(INDArray z, int[] labels, int slot, boolean keepMasks) {
        Mlp.Workspace ws = generator.workspace((int) z.rows(), slot);
        fillInput(ws.input(), z, config.latentDim(), labels);
        return generator.forward(ws, keepMasks);
    }

    /**
     * Discriminator loss and its gradient (into the discriminator's gradient vector) for a batch of real and fake
     * examples: BCE(real → 1) + BCE(fake → 0), or for WGAN-GP mean D(fake) − mean D(real) + the penalty at
     * interpolates x̂ = fake + ε(real − fake).
     *
     * @param epsilon    [rows, 1] interpolation weights in [0, 1] (WGAN-GP only; ignored otherwise)
     * @param realScale  weight of each real row (1/n for a mean); also the weight of each penalty row
     * @param fakeScale  weight of each fake row
     * @param accumulate add to the gradient vector instead of overwriting it
     * @return the loss value (weighted sum)
     */
    double discriminatorGradient(INDArray real, int[] realLabels, INDArray fake, int[] fakeLabels, INDArray epsilon,
            double realScale, double fakeScale, boolean accumulate) {
        int nr = (int) real.rows();
        int nf = (int) fake.rows();
        Mlp.Workspace ws = discriminator.workspace(nr + nf, SLOT_D_TRAIN);
        fillInput(ws.input().get(NDArrayIndex.interval(0, nr), NDArrayIndex.all()), real, config.dataDim(),
                realLabels);
        fillInput(ws.input().get(NDArrayIndex.interval(nr, nr + nf), NDArrayIndex.all()), fake, config.dataDim(),
                fakeLabels);
        double[] logits = discriminator.forward(ws, true).toDoubleVector();
        double[] dl = new double[nr + nf];
        double loss = 0;
        boolean wgan = config.loss() == GanLoss.WGAN_GP;
        for (int i = 0; i < nr + nf; i++) {
            double l = logits[i];
            boolean isReal = i < nr;
            if (wgan) {
                loss += isReal ? -realScale * l : fakeScale * l;
                dl[i] = isReal ? -realScale : fakeScale;
            } else if (isReal) {
                double t = config.realLabel();
                loss += realScale * (t * softplus(-l) + (1 - t) * softplus(l));
                dl[i] = realScale * (sigmoid(l) - t);
            } else {
                loss += fakeScale * softplus(l);
                dl[i] = fakeScale * sigmoid(l);
            }
        }
        ws.outputDelta().assign(column(dl));
        discriminator.backward(ws, ws.outputDelta(), true, accumulate, false);
        if (wgan && config.gradientPenaltyWeight() > 0) {
            if (nr != nf) {
                throw new IllegalArgumentException("WGAN-GP needs as many fake rows as real rows, got " + nf
                        + " fake and " + nr + " real");
            }
            Mlp.Workspace pw = discriminator.workspace(nr, SLOT_D_PENALTY);
            INDArray x = config.conditional()
                    ? pw.input().get(NDArrayIndex.all(), NDArrayIndex.interval(0, config.dataDim())) : pw.input();
            x.assign(real).subi(fake).muliColumnVector(epsilon).addi(fake);
            if (config.conditional()) {
                fillLabels(pw.input(), config.dataDim(), realLabels);
            }
            discriminator.forward(pw, true);
            loss += penalty.addGradient(pw, config.gradientPenaltyWeight(), realScale);
        }
        return loss;
    }

    /**
     * The generator loss of a generated batch under the current discriminator, and its gradient with respect to the
     * batch (the discriminator's parameter gradient is left untouched): BCE(fake → 1) or −mean D(x).
     *
     * @param scale weight of each row (1/n for a mean)
     */
    Feedback generatorFeedback(INDArray generated, int[] labels, double scale) {
        int n = (int) generated.rows();
        Mlp.Workspace ws = discriminator.workspace(n, SLOT_D_FOR_G);
        fillInput(ws.input(), generated, config.dataDim(), labels);
        double[] logits = discriminator.forward(ws, true).toDoubleVector();
        double[] dl = new double[n];
        double loss = 0;
        boolean wgan = config.loss() == GanLoss.WGAN_GP;
        for (int i = 0; i < n; i++) {
            double l = logits[i];
            if (wgan) {
                loss -= scale * l;
                dl[i] = -scale;
            } else {
                loss += scale * softplus(-l);
                dl[i] = scale * (sigmoid(l) - 1);
            }
        }
        ws.outputDelta().assign(column(dl));
        discriminator.backward(ws, ws.outputDelta(), false, false, true);
        INDArray g = config.conditional()
                ? ws.inputGradient().get(NDArrayIndex.all(), NDArrayIndex.interval(0, config.dataDim()))
                : ws.inputGradient();
        return new Feedback(g, loss);
    }

    /**
     * Generator loss and its gradient (into the generator's gradient vector) for latents z through the current
     * discriminator.
     */
    double generatorGradient(INDArray z, int[] labels, double scale, boolean accumulate) {
        INDArray x = generate(z, labels);
        Feedback f = generatorFeedback(x, labels, scale);
        generator.backward(generator.workspace((int) z.rows(), SLOT_G_TRAIN), f.inputGradient(), true, accumulate,
                false);
        return f.loss();
    }

    /**
     * Backpropagates a given ∂L/∂x of the batch G(z, y) into the generator's gradient vector (the MD-GAN server's
     * step: the clients supply ∂L/∂x).
     */
    void generatorBackward(INDArray z, int[] labels, INDArray inputGradient, boolean accumulate) {
        generate(z, labels);
        generator.backward(generator.workspace((int) z.rows(), SLOT_G_TRAIN), inputGradient, true, accumulate, false);
    }

    /** Discriminator logits (no gradient bookkeeping). */
    double[] logits(INDArray x, int[] labels) {
        Mlp.Workspace ws = discriminator.workspace((int) x.rows(), SLOT_D_EVAL);
        fillInput(ws.input(), x, config.dataDim(), labels);
        return discriminator.forward(ws, false).toDoubleVector();
    }

    private void fillInput(INDArray target, INDArray data, int dataCols, int[] labels) {
        if (config.conditional()) {
            target.get(NDArrayIndex.all(), NDArrayIndex.interval(0, dataCols)).assign(data);
            fillLabels(target, dataCols, labels);
        } else {
            target.assign(data);
        }
    }

    private void fillLabels(INDArray target, int dataCols, int[] labels) {
        int c = config.numClasses();
        if (labels == null || labels.length != target.rows()) {
            throw new IllegalArgumentException("conditional GAN needs one label per row (" + target.rows()
                    + " rows), got " + (labels == null ? "none" : labels.length));
        }
        float[] hot = new float[labels.length * c];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " outside [0, " + c + ")");
            }
            hot[i * c + labels[i]] = 1f;
        }
        target.get(NDArrayIndex.all(), NDArrayIndex.interval(dataCols, dataCols + c))
                .assign(Nd4j.createFromArray(hot).reshape(labels.length, c).castTo(dataType));
    }

    private INDArray column(double[] v) {
        return Nd4j.createFromArray(v).castTo(dataType).reshape(v.length, 1);
    }

    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
