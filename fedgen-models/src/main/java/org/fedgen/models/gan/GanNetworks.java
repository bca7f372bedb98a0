package org.fedgen.models.gan;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.dpsgd.GhostGram;
import org.fedgen.models.dpsgd.GhostNorms;
import org.fedgen.models.train.NativeRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
    /** Column of the first class logit of the auxiliary classifier in D's output. */
    private static final int CLASSIFIER = 1;

    final GanConfig config;
    final Mlp generator;
    final Mlp discriminator;
    private final GradientPenalty penalty;
    private final DataType dataType;
    /** Per batch size, the ∂L/∂x buffer of a packed discriminator (see {@link #unpack}). */
    private final Map<Integer, INDArray> unpacked = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, INDArray> eldest) {
            return size() > 4;
        }
    };

    /** The per-example norms of record-level DP critic batches; made on the first private step. */
    private GhostGram ghostGram;

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
        this.penalty = config.loss() == GanLoss.WGAN_GP ? new GradientPenalty(discriminator) : null;
    }

    DataType dataType() {
        return dataType;
    }

    /** Re-draws both networks' parameters from the seed (independent streams per part). */
    void initialize(long seed) {
        try (NativeRandom rg = new NativeRandom(Seeds.derive(seed, "gan-init-generator"));
                NativeRandom rd = new NativeRandom(Seeds.derive(seed, "gan-init-discriminator"))) {
            generator.initialize(rg.generator());
            discriminator.initialize(rd.generator());
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
     * interpolates x̂ = fake + ε(real − fake) (with the real rows' labels); a conditional critic adds the auxiliary
     * class loss of the real rows and, with the twin classifier, the twin's class loss of the fake rows (see
     * {@link GanConfig}).
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
        checkLabels(realLabels, nr);
        checkLabels(fakeLabels, nf);
        int k = discriminator.outputSize();
        Mlp.Workspace ws = discriminator.workspace(nr + nf, SLOT_D_TRAIN);
        packInto(ws.input(), 0, real);
        packInto(ws.input(), nr, fake);
        double[] o = flat(discriminator.forward(ws, true));
        double[] d = new double[(nr + nf) * k];
        double loss = criticDeltas(o, d, nr, nf, realLabels, fakeLabels, realScale, fakeScale);
        boolean wgan = config.loss() == GanLoss.WGAN_GP;
        ws.outputDelta().assign(matrix(d, nr + nf, k));
        discriminator.backward(ws, ws.outputDelta(), true, accumulate, false);
        if (wgan && config.gradientPenaltyWeight() > 0) {
            if (nr != nf) {
                throw new IllegalArgumentException("WGAN-GP needs as many fake rows as real rows, got " + nf
                        + " fake and " + nr + " real");
            }
            Mlp.Workspace pw = discriminator.workspace(nr, SLOT_D_PENALTY);
            if (config.pack() == 1) {
                pw.input().assign(real).subi(fake).muliColumnVector(epsilon).addi(fake);
            } else {
                packInto(pw.input(), real.sub(fake).muliColumnVector(epsilon).addi(fake));
            }
            discriminator.forward(pw, true);
            loss += penalty.addGradient(pw, config.gradientPenaltyWeight(), realScale, selection(realLabels, nr));
        }
        return loss;
    }

    /**
     * Writes ∂loss/∂output of the packed critic batch (nr real rows, then nf fake rows) into {@code d} and returns the
     * weighted loss (see {@link #discriminatorGradient}).
     */
    private double criticDeltas(double[] o, double[] d, int nr, int nf, int[] realLabels, int[] fakeLabels,
            double realScale, double fakeScale) {
        int k = discriminator.outputSize();
        double loss = 0;
        boolean wgan = config.loss() == GanLoss.WGAN_GP;
        double classWeight = config.classLossWeight();
        for (int i = 0; i < nr + nf; i++) {
            boolean isReal = i < nr;
            int y = label(isReal ? realLabels : fakeLabels, isReal ? i : i - nr);
            double l = critic(o, k, i, y);
            double dl;
            if (wgan) {
                loss += isReal ? -realScale * l : fakeScale * l;
                dl = isReal ? -realScale : fakeScale;
            } else if (isReal) {
                double t = config.realLabel();
                loss += realScale * (t * softplus(-l) + (1 - t) * softplus(l));
                dl = realScale * (sigmoid(l) - t);
            } else {
                loss += fakeScale * softplus(l);
                dl = fakeScale * sigmoid(l);
            }
            addCriticDelta(d, k, i, y, dl);
            if (y >= 0 && classWeight > 0) {
                if (isReal) {
                    loss += classLoss(o, d, k, i, y, CLASSIFIER, realScale * classWeight);
                } else if (config.twinClassifier()) {
                    loss += classLoss(o, d, k, i, y, twinHead(), fakeScale * classWeight);
                }
            }
        }
        return loss;
    }

    /**
     * Writes Σ_i min(1, C/‖g_i‖) g_i into the discriminator's gradient vector, where g_i is the gradient of example
     * i's whole contribution to the summed discriminator loss: real row i, fake row i (which carries row i's label)
     * and, for WGAN-GP, the penalty at the interpolate of the two. Row i's norm comes from ghost norms of the three
     * outer products per weight matrix (real, fake, penalty: {@link GhostGram}); then one
     * backward pass of the clip-weighted loss. Rows from {@code members} on weigh 0 (padding).
     *
     * @throws IllegalArgumentException for a packing discriminator (its rows mix examples)
     */
    void clippedDiscriminatorSum(INDArray real, int[] labels, INDArray fake, INDArray epsilon, int members,
            double clip) {
        if (config.pack() != 1) {
            throw new IllegalArgumentException("record-level DP needs one example per critic row, but the"
                    + " discriminator packs " + config.pack() + " examples per row (use pack 1)");
        }
        int m = (int) real.rows();
        checkLabels(labels, m);
        int k = discriminator.outputSize();
        Mlp.Workspace ws = discriminator.workspace(2 * m, SLOT_D_TRAIN);
        packInto(ws.input(), 0, real);
        packInto(ws.input(), m, fake);
        double[] o = flat(discriminator.forward(ws, true));
        double[] d = new double[2 * m * k];
        criticDeltas(o, d, m, m, labels, labels, 1.0, 1.0);
        INDArray deltas = matrix(d, 2 * m, k);
        ws.outputDelta().assign(deltas);
        discriminator.backward(ws, ws.outputDelta(), false, false, false);
        boolean gp = config.loss() == GanLoss.WGAN_GP && config.gradientPenaltyWeight() > 0;
        INDArray selection = selection(labels, m);
        if (gp) {
            Mlp.Workspace pw = discriminator.workspace(m, SLOT_D_PENALTY);
            pw.input().assign(real).subi(fake).muliColumnVector(epsilon).addi(fake);
            discriminator.forward(pw, true);
            penalty.pass(pw, config.gradientPenaltyWeight(), 1.0, selection, null, false);
        }
        int terms = gp ? 3 : 2;
        // real and fake rows see the bias, the penalty has none
        if (ghostGram == null || ghostGram.terms() != terms) {
            ghostGram = new GhostGram(terms, 2);
        }
        GhostGram gram = ghostGram;
        gram.reset(m);
        INDArray[] a = new INDArray[terms];
        INDArray[] delta = new INDArray[terms];
        for (int l = 0; l < discriminator.numLayers(); l++) {
            INDArray in = l == 0 ? ws.input : ws.act[l - 1];
            a[0] = rows(in, 0, m);
            a[1] = rows(in, m, 2 * m);
            delta[0] = rows(ws.delta[l], 0, m);
            delta[1] = rows(ws.delta[l], m, 2 * m);
            if (gp) {
                INDArray[] pq = penalty.outerProducts(m, l);
                a[2] = pq[0];
                delta[2] = pq[1];
            }
            gram.addLayer(a, delta);
        }
        INDArray normSq = gram.squaredNorms();
        INDArray weights = GhostNorms.clipWeights(normSq, clip, members).castTo(dataType);
        // the clip-weighted sum from the deltas and penalty factors already computed, without a second backward pass
        discriminator.weightedParamGrads(ws, Nd4j.concat(0, weights, weights));
        if (gp) {
            penalty.addWeightedGradient(m, weights);
        }
    }

    private static INDArray rows(INDArray m, int from, int to) {
        return m.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /**
     * The generator loss of a generated batch under the current discriminator, and its gradient with respect to the
     * batch (the discriminator's parameter gradient is left untouched): BCE(fake → 1) or −mean D(x), plus for a
     * conditional GAN the auxiliary class loss of the requested labels, minus the twin classifier's if there is one.
     *
     * @param scale weight of each row (1/n for a mean)
     */
    Feedback generatorFeedback(INDArray generated, int[] labels, double scale) {
        int n = (int) generated.rows();
        checkLabels(labels, n);
        int k = discriminator.outputSize();
        Mlp.Workspace ws = discriminator.workspace(n, SLOT_D_FOR_G);
        packInto(ws.input(), generated);
        double[] o = flat(discriminator.forward(ws, true));
        double[] d = new double[n * k];
        double loss = 0;
        boolean wgan = config.loss() == GanLoss.WGAN_GP;
        double classWeight = config.classLossWeight();
        for (int i = 0; i < n; i++) {
            int y = label(labels, i);
            double l = critic(o, k, i, y);
            if (wgan) {
                loss -= scale * l;
                addCriticDelta(d, k, i, y, -scale);
            } else {
                loss += scale * softplus(-l);
                addCriticDelta(d, k, i, y, scale * (sigmoid(l) - 1));
            }
            if (y >= 0 && classWeight > 0) {
                loss += classLoss(o, d, k, i, y, CLASSIFIER, scale * classWeight);
                if (config.twinClassifier()) {
                    loss += classLoss(o, d, k, i, y, twinHead(), -scale * classWeight);
                }
            }
        }
        ws.outputDelta().assign(matrix(d, n, k));
        discriminator.backward(ws, ws.outputDelta(), false, false, true);
        return new Feedback(unpack(ws.inputGradient()), loss);
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

    /** Critic values D(x, y) (logits for BCE), without gradient bookkeeping. */
    double[] logits(INDArray x, int[] labels) {
        int n = (int) x.rows();
        checkLabels(labels, n);
        int k = discriminator.outputSize();
        Mlp.Workspace ws = discriminator.workspace(n, SLOT_D_EVAL);
        packInto(ws.input(), x);
        double[] o = flat(discriminator.forward(ws, false));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = critic(o, k, i, label(labels, i));
        }
        return v;
    }

    /**
     * Writes D's input for the n rows of {@code x}: row i followed by rows i + 1, …, i + m − 1 (mod n) for
     * m = {@link GanConfig#pack()}; a plain copy when m = 1.
     */
    private void packInto(INDArray target, INDArray x) {
        packInto(target, 0, x);
    }

    /**
     * {@link #packInto(INDArray, INDArray)} into rows row0 … row0 + n − 1 of {@code target}. Each block is addressed
     * by one get on {@code target} itself: ND4J M2.1 returns an empty array for the last row of a view of a view.
     */
    private void packInto(INDArray target, int row0, INDArray x) {
        int m = config.pack();
        int n = (int) x.rows();
        if (m == 1) {
            target.get(NDArrayIndex.interval(row0, row0 + n), NDArrayIndex.all()).assign(x);
            return;
        }
        if (x.isView()) {
            // rows of a view of a view run into the same ND4J defect; a copy costs less than D's forward pass
            x = x.dup();
        }
        long d = x.columns();
        for (int j = 0; j < m; j++) {
            int s = j % n;
            target.get(NDArrayIndex.interval(row0, row0 + n - s), NDArrayIndex.interval(j * d, (j + 1) * d))
                    .assign(x.get(NDArrayIndex.interval(s, n), NDArrayIndex.all()));
            if (s > 0) {
                target.get(NDArrayIndex.interval(row0 + n - s, row0 + n), NDArrayIndex.interval(j * d, (j + 1) * d))
                        .assign(x.get(NDArrayIndex.interval(0, s), NDArrayIndex.all()));
            }
        }
    }

    /**
     * The adjoint of {@link #packInto}: ∂L/∂x_i = Σ_j ∂L/∂(block j of row i − j mod n), from the gradient with
     * respect to D's packed input. Returns {@code packed} itself when m = 1, else a buffer reused per batch size.
     */
    private INDArray unpack(INDArray packed) {
        int m = config.pack();
        if (m == 1) {
            return packed;
        }
        int n = (int) packed.rows();
        long d = config.dataDim();
        INDArray out = unpacked.computeIfAbsent(n, r -> Nd4j.create(dataType, r, d));
        out.assign(0);
        for (int j = 0; j < m; j++) {
            int s = j % n;
            out.get(NDArrayIndex.interval(s, n), NDArrayIndex.all())
                    .addi(packed.get(NDArrayIndex.interval(0, n - s), NDArrayIndex.interval(j * d, (j + 1) * d)));
            if (s > 0) {
                out.get(NDArrayIndex.interval(0, s), NDArrayIndex.all())
                        .addi(packed.get(NDArrayIndex.interval(n - s, n), NDArrayIndex.interval(j * d, (j + 1) * d)));
            }
        }
        return out;
    }

    /** D(x_i, y_i) = o_0 + o_{1+y} (projection), or o_0 when unconditional (y = −1). */
    private static double critic(double[] o, int k, int i, int y) {
        return y < 0 ? o[i * k] : o[i * k] + o[i * k + 1 + y];
    }

    private static void addCriticDelta(double[] d, int k, int i, int y, double g) {
        d[i * k] += g;
        if (y >= 0) {
            d[i * k + 1 + y] += g;
        }
    }

    /** Column of the first class logit of the twin classifier (see {@link GanConfig#twinClassifier()}). */
    private int twinHead() {
        return 1 + config.numClasses();
    }

    /**
     * Adds weight · (log Σ_c exp o_{head+c} − o_{head+y}) to the loss of row i and its gradient
     * weight · (softmax − onehot) to {@code d}; returns the weighted loss. A negative weight maximises the
     * cross-entropy (G against the twin classifier).
     */
    private double classLoss(double[] o, double[] d, int k, int i, int y, int head, double weight) {
        int base = i * k + head;
        int classes = config.numClasses();
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, o[base + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(o[base + c] - max);
        }
        double logZ = max + Math.log(sum);
        for (int c = 0; c < classes; c++) {
            double p = Math.exp(o[base + c] - logZ);
            d[base + c] += weight * (c == y ? p - 1 : p);
        }
        return weight * (logZ - o[base + y]);
    }

    /** O of the gradient penalty: ones at columns 0 and 1 + y per row, or null when unconditional. */
    private INDArray selection(int[] labels, int rows) {
        if (!config.conditional()) {
            return null;
        }
        int k = discriminator.outputSize();
        double[] o = new double[rows * k];
        for (int i = 0; i < rows; i++) {
            o[i * k] = 1;
            o[i * k + 1 + labels[i]] = 1;
        }
        return matrix(o, rows, k);
    }

    private int label(int[] labels, int row) {
        return config.conditional() ? labels[row] : -1;
    }

    /**
     * G's input: z, then the one-hot of {@code labels} (conditional) or of the source codes (a source-coded GAN: then
     * {@code labels} holds one code per row, see {@link GanConfig#numSources()}).
     */
    private void fillInput(INDArray target, INDArray data, int dataCols, int[] labels) {
        if (config.conditional()) {
            target.get(NDArrayIndex.all(), NDArrayIndex.interval(0, dataCols)).assign(data);
            fillLabels(target, dataCols, labels);
        } else if (config.numSources() > 0) {
            target.get(NDArrayIndex.all(), NDArrayIndex.interval(0, dataCols)).assign(data);
            int k = config.numSources();
            checkIndices(labels, target.rows(), k, "a generator with " + k + " source codes", "code", "source code");
            fillOneHot(target, dataCols, labels, k);
        } else {
            target.assign(data);
        }
    }

    /** For a conditional GAN: one label per row, each in [0, C); ignored otherwise. */
    private void checkLabels(int[] labels, long rows) {
        if (!config.conditional()) {
            return;
        }
        checkIndices(labels, rows, config.numClasses(), "conditional GAN", "label", "label");
    }

    /**
     * One index per row, each in [0, count): the labels of a conditional GAN or the codes of a source-coded generator.
     * The messages read "{owner} needs one {noun} per row (…)" and "{item} v at row i outside [0, count)".
     */
    private static void checkIndices(int[] values, long rows, int count, String owner, String noun, String item) {
        if (values == null || values.length != rows) {
            throw new IllegalArgumentException(owner + " needs one " + noun + " per row (" + rows + " rows), got "
                    + (values == null ? "none" : values.length));
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= count) {
                throw new IllegalArgumentException(item + " " + values[i] + " at row " + i + " outside [0, " + count
                        + ")");
            }
        }
    }

    private void fillLabels(INDArray target, int dataCols, int[] labels) {
        checkLabels(labels, target.rows());
        fillOneHot(target, dataCols, labels, config.numClasses());
    }

    private void fillOneHot(INDArray target, int dataCols, int[] labels, int c) {
        float[] hot = new float[labels.length * c];
        for (int i = 0; i < labels.length; i++) {
            hot[i * c + labels[i]] = 1f;
        }
        target.get(NDArrayIndex.all(), NDArrayIndex.interval(dataCols, dataCols + c))
                .assign(Nd4j.createFromArray(hot).reshape(labels.length, c).castTo(dataType));
    }

    private static double[] flat(INDArray m) {
        return Nd4j.toFlattened('c', m).toDoubleVector();
    }

    private INDArray matrix(double[] v, int rows, int cols) {
        return Nd4j.createFromArray(v).castTo(dataType).reshape('c', rows, cols);
    }

    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
