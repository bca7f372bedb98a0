package org.fedgen.models.gan;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.fedgen.core.ConditionalGenerativeModel;
import org.fedgen.core.DriftCorrection;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.dpsgd.DpSgdPlan;
import org.fedgen.models.dpsgd.GradientNoise;
import org.fedgen.models.dpsgd.PoissonBatches;
import org.fedgen.models.dpsgd.RecordDp;
import org.fedgen.models.optim.FlatAdam;
import org.fedgen.models.train.BatchSampler;
import org.fedgen.models.train.Labels;
import org.fedgen.models.train.NativeRandom;
import org.fedgen.models.train.PartUpdater;
import org.fedgen.models.train.PartVectors;
import org.fedgen.models.train.StepPlan;
import org.fedgen.models.train.TrainingData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An MLP GAN (optionally conditional) with parts {@value #GENERATOR} and {@value #DISCRIMINATOR}, each one flat
 * float32 vector.
 *
 * <p>{@link #fit} is FL-GAN local training: each of the K iterations takes n_critic discriminator steps on a real
 * minibatch vs fakes from the current generator, then one generator step, each with its own fresh Adam. With
 * {@code trainParts = {discriminator}} only D is trained, against fakes from the loaded (frozen) generator — the
 * DP-FedAvg-GAN client; with {@code {generator}} only G is trained against the loaded D.
 *
 * <p>Iterations: {@link FitInstructions#localSteps()} if positive, else ⌈epochs · ⌈n/B⌉ / n_critic⌉ (D minibatches
 * cover the local data {@code epochs} times; with D frozen the count is epochs · ⌈n/B⌉). The batch size is
 * min(B, n). For a conditional model, fakes in the D step carry the real minibatch's labels and G's labels are drawn
 * from the local labels.
 *
 * <p>One instance per thread; every call starts from the loaded parameters with fresh optimiser and random state.
 */
public final class Gan implements ConditionalGenerativeModel {
    /** Part name of the generator. */
    public static final String GENERATOR = "generator";
    /** Part name of the discriminator (critic). */
    public static final String DISCRIMINATOR = "discriminator";
    private static final int CHUNK = 256;
    /** Private batches are padded to a multiple of this many rows. */
    private static final int PAD = 8;

    private final GanConfig config;
    private final GanNetworks nets;
    private final PartVectors parts;
    private final PartUpdater updaterG;
    private final PartUpdater updaterD;
    private RecordDp recordDp;

    /** A GAN with the given architecture; parameters are zero until {@link #initialize} or {@link #load}. */
    public Gan(GanConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.nets = new GanNetworks(config, DataType.FLOAT);
        this.parts = PartVectors.of("GAN", GENERATOR, nets.generator.params(), DISCRIMINATOR,
                nets.discriminator.params());
        this.updaterG = updater(GENERATOR, nets.generator, config);
        this.updaterD = updater(DISCRIMINATOR, nets.discriminator, config);
    }

    private static PartUpdater updater(String part, Mlp net, GanConfig config) {
        return new PartUpdater(part, net.params(), net.gradient(), new FlatAdam(net.params().length(),
                config.beta1(), config.beta2(), config.adamEpsilon()));
    }

    /**
     * Makes {@link #fit} record-level private with DP-SGD on the discriminator (see {@link RecordDp}): each example's
     * whole contribution to the discriminator loss is clipped. The generator sees the records only through the
     * discriminator, so its steps are post-processing; a conditional GAN whose generator trains locally is refused
     * at fit time (its labels would come from the records). Null turns it off. Returns this model.
     */
    public Gan privately(RecordDp dp) {
        this.recordDp = dp;
        return this;
    }

    /** The architecture and optimizer settings this GAN was built with. */
    public GanConfig config() {
        return config;
    }

    @Override
    public int numClasses() {
        return config.numClasses();
    }

    GanNetworks networks() {
        return nets;
    }

    /** Test hook: sees each part's final gradient (after the proximal term) before every optimiser step. */
    void setGradientObserver(BiConsumer<String, INDArray> observer) {
        updaterG.observeGradients(observer == null ? null : g -> observer.accept(GENERATOR, g));
        updaterD.observeGradients(observer == null ? null : g -> observer.accept(DISCRIMINATOR, g));
    }

    @Override
    public ModelState initialize(long seed) {
        nets.initialize(seed);
        return state();
    }

    @Override
    public ModelState state() {
        return parts.state();
    }

    @Override
    public void load(ModelState state) {
        parts.load(state);
    }

    /**
     * FL-GAN local training (see the class comment). Metrics: {@code loss} (mean D loss over the D steps, or the mean
     * G loss when D is frozen), {@code d_loss}, {@code g_loss} (for the trained parts), {@code steps} (iterations),
     * {@code d_steps}, {@code g_steps}.
     *
     * @throws IllegalArgumentException for an unknown train part, data that do not fit the config, instructions with
     *                                  neither local steps nor local epochs, or μ &gt; 0 without an anchor holding the
     *                                  trained parts
     */
    @Override
    public Map<String, Double> fit(Dataset data, FitInstructions instructions, ModelState anchor) {
        return fit(data, instructions, anchor, null);
    }

    /**
     * The fit above with SCAFFOLD's correction applied to every local gradient of the corrected trained parts before
     * the optimizer (see {@link PartUpdater}); null = none.
     *
     * @throws IllegalArgumentException also for a correction under record-level DP-SGD
     */
    @Override
    public Map<String, Double> fit(Dataset data, FitInstructions instructions, ModelState anchor,
            DriftCorrection correction) {
        RecordDp.refuseDriftCorrection(recordDp, correction);
        int n = checkData(data);
        Objects.requireNonNull(instructions, "instructions");
        parts.checkTrainParts(instructions);
        requireNoSources("fit");
        boolean trainD = instructions.trains(DISCRIMINATOR);
        boolean trainG = instructions.trains(GENERATOR);
        updaterG.begin(instructions, anchor, correction);
        updaterD.begin(instructions, anchor, correction);
        if (recordDp != null) {
            return fitPrivately(data, instructions, n, trainD, trainG);
        }
        int critic = trainD ? config.criticSteps() : 1;
        StepPlan plan = StepPlan.of(instructions, n, critic);
        int b = plan.batchSize();
        long iterations = plan.steps();
        double lr = instructions.learningRate();
        long seed = instructions.seed();

        int[] labels = data.hasLabels() ? data.labels() : null;
        BatchSampler realBatches = BatchSampler.fixedSize(n, b, Seeds.derive(seed, "gan-fit-batches"));
        BatchSampler labelBatches = BatchSampler.fixedSize(n, b, Seeds.derive(seed, "gan-fit-labels"));
        INDArray real = Nd4j.create(DataType.FLOAT, b, config.dataDim());
        INDArray z = Nd4j.create(DataType.FLOAT, b, config.latentDim());
        INDArray eps = Nd4j.create(DataType.FLOAT, b, 1);
        boolean wgan = config.loss() == GanLoss.WGAN_GP;
        double dLoss = 0;
        double gLoss = 0;
        long dSteps = 0;
        long gSteps = 0;
        try (NativeRandom noise = new NativeRandom(Seeds.derive(seed, "gan-fit-noise"))) {
            for (long it = 0; it < iterations; it++) {
                if (trainD) {
                    for (int c = 0; c < critic; c++) {
                        int[] idx = realBatches.next();
                        Nd4j.pullRows(data.features(), real, 1, idx);
                        int[] y = Labels.pick(labels, idx);
                        noise.gaussian(z);
                        INDArray fake = nets.sample(z, y);
                        if (wgan) {
                            noise.uniform(eps);
                        }
                        dLoss += nets.discriminatorGradient(real, y, fake, y, eps, 1.0 / b, 1.0 / b, false);
                        updaterD.step(lr);
                        dSteps++;
                    }
                }
                if (trainG) {
                    int[] y = config.conditional() ? Labels.pick(labels, labelBatches.next()) : null;
                    noise.gaussian(z);
                    gLoss += nets.generatorGradient(z, y, 1.0 / b, false);
                    updaterG.step(lr);
                    gSteps++;
                }
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        double meanD = dSteps > 0 ? dLoss / dSteps : Double.NaN;
        double meanG = gSteps > 0 ? gLoss / gSteps : Double.NaN;
        m.put("loss", trainD ? meanD : meanG);
        if (trainD) {
            m.put("d_loss", meanD);
        }
        if (trainG) {
            m.put("g_loss", meanG);
        }
        m.put("steps", (double) iterations);
        m.put("d_steps", (double) dSteps);
        m.put("g_steps", (double) gSteps);
        return m;
    }

    /**
     * FL-GAN local training with DP-SGD on D: per D step a Poisson batch of records, as many fakes (with the records'
     * labels) and interpolates, clipped per-example sums, noise, division by the expected batch. Reports only the
     * step counts.
     */
    private Map<String, Double> fitPrivately(Dataset data, FitInstructions instructions, int n, boolean trainD,
            boolean trainG) {
        if (trainG && config.conditional()) {
            throw new IllegalArgumentException("record-level DP with a conditional GAN whose generator trains on the"
                    + " client: the generator's labels would be drawn from the records; train only the"
                    + " discriminator there (topology dpfedavg) or use an unconditional GAN");
        }
        int critic = trainD ? config.criticSteps() : 1;
        DpSgdPlan plan = DpSgdPlan.of(instructions, n, critic);
        long iterations = plan.steps() / critic;
        PoissonBatches batches = recordDp.batches(n, plan, instructions.seed());
        GradientNoise dpNoise = recordDp.noise(instructions.seed());
        int[] labels = data.hasLabels() ? data.labels() : null;
        double lr = instructions.learningRate();
        long dSteps = 0;
        long gSteps = 0;
        INDArray zG = Nd4j.create(DataType.FLOAT, plan.expectedBatch(), config.latentDim());
        try (NativeRandom noise = new NativeRandom(Seeds.derive(instructions.seed(), "gan-fit-noise"))) {
            for (long it = 0; it < iterations; it++) {
                for (int c = 0; trainD && c < critic; c++) {
                    clippedDiscriminatorSum(data, labels, batches.next(), noise);
                    recordDp.privatize(dpNoise, plan.expectedBatch(), nets.discriminator.gradient());
                    updaterD.step(lr);
                    dSteps++;
                }
                if (trainG) {
                    noise.gaussian(zG);
                    nets.generatorGradient(zG, null, 1.0 / plan.expectedBatch(), false);
                    updaterG.step(lr);
                    gSteps++;
                }
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("steps", (double) iterations);
        m.put("d_steps", (double) dSteps);
        m.put("g_steps", (double) gSteps);
        return m;
    }

    /** Σ clip(g_i) of one private D step into D's gradient; zero for an empty batch. */
    private void clippedDiscriminatorSum(Dataset data, int[] labels, int[] idx, NativeRandom noise) {
        if (idx.length == 0) {
            nets.discriminator.gradient().assign(0);
            return;
        }
        int rows = (idx.length + PAD - 1) / PAD * PAD;
        int[] padded = Arrays.copyOf(idx, rows);
        INDArray real = Nd4j.create(DataType.FLOAT, rows, config.dataDim());
        Nd4j.pullRows(data.features(), real, 1, padded);
        int[] y = Labels.pick(labels, padded);
        INDArray z = noise.gaussian(rows, config.latentDim());
        INDArray fake = nets.sample(z, y);
        INDArray eps = noise.uniform(rows, 1);
        nets.clippedDiscriminatorSum(real, y, fake, eps, idx.length, recordDp.clip());
    }

    /**
     * Full-batch gradients at the current parameters for the trained parts: of the discriminator loss over all of
     * {@code data} against as many fakes (and, for WGAN-GP, interpolates), and of the generator loss over as many
     * latents with the data's labels. Noise comes from {@code instructions.seed()}. Parameters do not change.
     */
    @Override
    public Map<String, INDArray> gradient(Dataset data, FitInstructions instructions) {
        int n = checkData(data);
        parts.checkTrainParts(instructions);
        requireNoSources("gradient");
        int[] labels = data.hasLabels() ? data.labels() : null;
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (NativeRandom noise = new NativeRandom(Seeds.derive(instructions.seed(), "gan-gradient-noise"))) {
            if (instructions.trains(GENERATOR)) {
                for (int start = 0; start < n; start += CHUNK) {
                    int rows = Math.min(CHUNK, n - start);
                    INDArray z = noise.gaussian(rows, config.latentDim());
                    nets.generatorGradient(z, Labels.slice(labels, start, rows), 1.0 / n, start > 0);
                }
                out.put(GENERATOR, nets.generator.gradient().dup());
            }
            if (instructions.trains(DISCRIMINATOR)) {
                for (int start = 0; start < n; start += CHUNK) {
                    int rows = Math.min(CHUNK, n - start);
                    INDArray real = data.features().get(NDArrayIndex.interval(start, start + rows),
                            NDArrayIndex.all());
                    int[] y = Labels.slice(labels, start, rows);
                    INDArray z = noise.gaussian(rows, config.latentDim());
                    INDArray eps = noise.uniform(rows, 1);
                    INDArray fake = nets.sample(z, y);
                    nets.discriminatorGradient(real, y, fake, y, eps, 1.0 / n, 1.0 / n, start > 0);
                }
                out.put(DISCRIMINATOR, nets.discriminator.gradient().dup());
            }
        }
        return out;
    }

    /**
     * Scores the current parameters on {@code data} against as many fakes: {@code d_loss} (= {@code loss}; the
     * adversarial part only, without the gradient penalty), {@code g_loss}, {@code d_real} and {@code d_fake} (mean
     * D probability for BCE, mean critic value for WGAN-GP) and {@code numExamples}.
     */
    @Override
    public Map<String, Double> evaluate(Dataset data, long seed) {
        int n = checkData(data);
        int[] labels = data.hasLabels() ? data.labels() : null;
        boolean wgan = config.loss() == GanLoss.WGAN_GP;
        double dLoss = 0;
        double gLoss = 0;
        double realScore = 0;
        double fakeScore = 0;
        int[] codes = config.numSources() > 0 ? drawSources(config.sourceWeights(), n,
                Seeds.derive(seed, "gan-evaluate-sources")) : null;
        try (NativeRandom noise = new NativeRandom(Seeds.derive(seed, "gan-evaluate-noise"))) {
            for (int start = 0; start < n; start += CHUNK) {
                int rows = Math.min(CHUNK, n - start);
                int[] y = Labels.slice(labels, start, rows);
                double[] lr = nets.logits(data.features().get(NDArrayIndex.interval(start, start + rows),
                        NDArrayIndex.all()), y);
                INDArray z = noise.gaussian(rows, config.latentDim());
                int[] gIn = codes != null ? Labels.slice(codes, start, rows) : y;
                double[] lf = nets.logits(nets.sample(z, gIn), y);
                for (int i = 0; i < rows; i++) {
                    if (wgan) {
                        dLoss += lf[i] - lr[i];
                        gLoss -= lf[i];
                        realScore += lr[i];
                        fakeScore += lf[i];
                    } else {
                        dLoss += GanNetworks.softplus(-lr[i]) + GanNetworks.softplus(lf[i]);
                        gLoss += GanNetworks.softplus(-lf[i]);
                        realScore += GanNetworks.sigmoid(lr[i]);
                        fakeScore += GanNetworks.sigmoid(lf[i]);
                    }
                }
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", dLoss / n);
        m.put("d_loss", dLoss / n);
        m.put("g_loss", gLoss / n);
        m.put("d_real", realScore / n);
        m.put("d_fake", fakeScore / n);
        m.put("numExamples", (double) n);
        return m;
    }

    /**
     * The discriminator's value D(x, y) of each example (a logit for BCE, the critic value for WGAN-GP): the
     * per-record score of the LOGAN white-box membership-inference attack (Hayes et al. 2019).
     */
    public double[] discriminatorScores(Dataset data) {
        int n = checkData(data);
        int[] labels = data.hasLabels() && config.conditional() ? data.labels() : null;
        double[] out = new double[n];
        for (int start = 0; start < n; start += CHUNK) {
            int rows = Math.min(CHUNK, n - start);
            double[] v = nets.logits(data.features().get(NDArrayIndex.interval(start, start + rows),
                    NDArrayIndex.all()), Labels.slice(labels, start, rows));
            System.arraycopy(v, 0, out, start, rows);
        }
        return out;
    }

    /**
     * n samples in [0, 1]; a conditional model cycles the labels 0, 1, …, C−1, 0, … over the rows, a source-coded one
     * draws each row's code from {@link GanConfig#sourceWeights()}.
     */
    @Override
    public INDArray sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("sample count must be >= 1, got " + n);
        }
        int[] labels = null;
        if (config.numSources() > 0) {
            labels = drawSources(config.sourceWeights(), n, Seeds.derive(seed, "gan-sample-sources"));
        }
        if (config.conditional()) {
            labels = Labels.cycle(n, config.numClasses());
        }
        return generateRows(n, labels, seed);
    }

    /**
     * Conditional samples, one row per label, in [0, 1].
     *
     * @throws IllegalArgumentException if the model is unconditional, labels is empty or a label is out of range
     */
    @Override
    public INDArray sample(int[] labels, long seed) {
        if (!config.conditional()) {
            throw new IllegalArgumentException("sample(labels, seed) needs a conditional GAN; numClasses is 0");
        }
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("labels must be non-empty");
        }
        return generateRows(labels.length, labels.clone(), seed);
    }

    private INDArray generateRows(int n, int[] labels, long seed) {
        INDArray out = Nd4j.create(DataType.FLOAT, n, config.dataDim());
        try (NativeRandom noise = new NativeRandom(Seeds.derive(seed, "gan-sample-noise"))) {
            for (int start = 0; start < n; start += CHUNK) {
                int rows = Math.min(CHUNK, n - start);
                INDArray z = noise.gaussian(rows, config.latentDim());
                out.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all())
                        .assign(nets.sample(z, Labels.slice(labels, start, rows)));
            }
        }
        return out;
    }

    private int checkData(Dataset data) {
        return TrainingData.check(data, "GAN", config.dataDim(), config.numClasses());
    }

    /** n codes drawn independently with probabilities {@code weights} (summing to 1) by inverse CDF. */
    static int[] drawSources(double[] weights, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            int k = 0;
            double cdf = weights[0];
            while (u >= cdf && k < weights.length - 1) {
                k++;
                cdf += weights[k];
            }
            codes[i] = k;
        }
        return codes;
    }

    private void requireNoSources(String what) {
        if (config.numSources() > 0) {
            throw new IllegalArgumentException(what + " cannot choose the codes of a generator with "
                    + config.numSources() + " source codes; train it with MdGanTrainer");
        }
    }

    @Override
    public int numFeatures() {
        return config.dataDim();
    }
}
