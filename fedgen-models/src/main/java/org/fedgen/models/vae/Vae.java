package org.fedgen.models.vae;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fedgen.core.ConditionalGenerativeModel;
import org.fedgen.core.DriftCorrection;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.dpsgd.DpSgdPlan;
import org.fedgen.models.dpsgd.GhostNorms;
import org.fedgen.models.dpsgd.GradientNoise;
import org.fedgen.models.dpsgd.PoissonBatches;
import org.fedgen.models.dpsgd.RecordDp;
import org.fedgen.models.optim.FlatAdam;
import org.fedgen.models.optim.FlatOptimizer;
import org.fedgen.models.optim.FlatSgd;
import org.fedgen.models.train.BatchSampler;
import org.fedgen.models.train.Labels;
import org.fedgen.models.train.NativeRandom;
import org.fedgen.models.train.PartUpdater;
import org.fedgen.models.train.PartVectors;
import org.fedgen.models.train.StepPlan;
import org.fedgen.models.train.TrainingData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A variational autoencoder (Kingma and Welling 2014) with MLP encoder and decoder and a Bernoulli likelihood, trained
 * with hand-written forward/backward passes on ND4J.
 *
 * <p>Encoder {@code x -> relu(hidden) -> (mu, logvar)}, {@code z = mu + exp(logvar / 2) * eps}, decoder
 * {@code z -> relu(hidden) -> logits}. The training loss of a batch is the mean over its examples of the BCE with
 * logits summed over features plus {@code beta} times KL(q(z|x) || N(0, I)). With {@link VaeConfig#numClasses()}
 * &gt; 0 a one-hot label is concatenated to the encoder and the decoder inputs, and datasets must carry labels.
 *
 * <p>Parameters form two parts, {@value #ENCODER} and {@value #DECODER}, each one flat float32 vector whose layout
 * (row-major weights [in, out] followed by the bias, layer after layer; label rows after data rows) is: encoder = hidden,
 * mean head, log-variance head; decoder = hidden, output. A new instance has all parameters zero: call
 * {@link #initialize} or {@link #load} first. Not thread-safe: one instance per worker thread.
 */
public final class Vae implements ConditionalGenerativeModel {
    /** Name of the encoder part. */
    public static final String ENCODER = "encoder";
    /** Name of the decoder part. */
    public static final String DECODER = "decoder";

    private static final Logger LOG = LoggerFactory.getLogger(Vae.class);
    private static final int EVAL_CHUNK = 256;
    private static final int MAX_CACHED_BATCH_SIZES = 8;
    /** Private batches are padded to a multiple of this many rows. */
    private static final int PAD = 8;

    private final VaeConfig config;
    private final INDArray encoder;
    private final INDArray decoder;
    private final INDArray encoderGrad;
    private final INDArray decoderGrad;
    private final VaeLayout params;
    private final VaeNetwork network;
    private final PartVectors parts;
    private final PartUpdater encoderUpdater;
    private final PartUpdater decoderUpdater;
    private final Map<Integer, VaeBuffers> buffers = new HashMap<>();
    private RecordDp recordDp;

    /** A model of the given shape with all parameters zero. */
    public Vae(VaeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.encoder = Nd4j.zeros(DataType.FLOAT, config.encoderSize());
        this.decoder = Nd4j.zeros(DataType.FLOAT, config.decoderSize());
        this.encoderGrad = Nd4j.zeros(DataType.FLOAT, config.encoderSize());
        this.decoderGrad = Nd4j.zeros(DataType.FLOAT, config.decoderSize());
        this.params = new VaeLayout(config, encoder, decoder);
        this.network = new VaeNetwork(params, new VaeLayout(config, encoderGrad, decoderGrad));
        this.parts = PartVectors.of("VAE", ENCODER, encoder, DECODER, decoder);
        this.encoderUpdater = new PartUpdater(ENCODER, encoder, encoderGrad,
                createOptimizer(config, config.encoderSize()));
        this.decoderUpdater = new PartUpdater(DECODER, decoder, decoderGrad,
                createOptimizer(config, config.decoderSize()));
    }

    /**
     * Makes {@link #fit} record-level private with DP-SGD over the trained parts (see {@link RecordDp}); null turns
     * it off. Returns this model.
     */
    public Vae privately(RecordDp dp) {
        this.recordDp = dp;
        return this;
    }

    /** The architecture and optimizer settings this VAE was built with. */
    public VaeConfig config() {
        return config;
    }

    @Override
    public int numClasses() {
        return config.numClasses();
    }

    /**
     * Hidden layers get He-uniform weights U(-a, a) with a = sqrt(6 / fanIn) (they feed a ReLU), the linear heads
     * Glorot-uniform a = sqrt(6 / (fanIn + fanOut)); biases are zero.
     */
    @Override
    public ModelState initialize(long seed) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "vae/init"));
        float[] enc = new float[(int) config.encoderSize()];
        heUniform(enc, params.encHidden, rng);
        glorotUniform(enc, params.encMean, rng);
        glorotUniform(enc, params.encLogVar, rng);
        float[] dec = new float[(int) config.decoderSize()];
        heUniform(dec, params.decHidden, rng);
        glorotUniform(dec, params.decOutput, rng);
        encoder.assign(Nd4j.createFromArray(enc));
        decoder.assign(Nd4j.createFromArray(dec));
        return state();
    }

    private static void heUniform(float[] flat, DenseView layer, SplittableRandom rng) {
        uniformWeights(flat, layer, Math.sqrt(6.0 / layer.fanIn), rng);
    }

    private static void glorotUniform(float[] flat, DenseView layer, SplittableRandom rng) {
        uniformWeights(flat, layer, Math.sqrt(6.0 / (layer.fanIn + layer.fanOut)), rng);
    }

    private static void uniformWeights(float[] flat, DenseView layer, double limit, SplittableRandom rng) {
        int from = (int) layer.offset;
        int to = (int) (layer.offset + layer.fanIn * layer.fanOut);
        for (int i = from; i < to; i++) {
            flat[i] = (float) rng.nextDouble(-limit, limit);
        }
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
     * Trains with minibatches of the shuffled data (seeded by {@code instructions.seed()}), a fresh optimizer and the
     * proximal term if μ &gt; 0.
     *
     * @return {@code loss} (mean training loss over the steps), {@code steps}, and {@code gradNormMax}: the largest
     *     L2 norm over the steps of the data-loss gradient of the trained parts, without the proximal term
     * @throws IllegalArgumentException for data that do not fit the model, an unknown train part, instructions with
     *                                  neither local steps nor local epochs, or μ &gt; 0 without an anchor
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
        Objects.requireNonNull(instructions, "instructions");
        int n = checkData(data);
        boolean trainEncoder = trains(instructions, ENCODER);
        boolean trainDecoder = trains(instructions, DECODER);
        encoderUpdater.begin(instructions, anchor, correction);
        decoderUpdater.begin(instructions, anchor, correction);
        if (recordDp != null) {
            return fitPrivately(data, instructions, n, trainEncoder, trainDecoder);
        }
        StepPlan plan = StepPlan.of(instructions, n);
        long steps = plan.steps();
        INDArray oneHot = oneHot(data);
        BatchSampler batches = BatchSampler.epochAligned(n, plan.batchSize(),
                Seeds.derive(instructions.seed(), "vae/batches"));
        double lossSum = 0;
        double gradNormMax = 0;
        try (NativeRandom noise = new NativeRandom(Seeds.derive(instructions.seed(), "vae/noise"))) {
            for (long s = 0; s < steps; s++) {
                int[] idx = batches.next();
                VaeBuffers b = gather(data.features(), oneHot, idx);
                noise.gaussian(b.eps);
                network.forward(b);
                lossSum += batchLossSum(b, config.beta()) / idx.length;
                network.backward(b, trainEncoder, trainDecoder, config.beta());
                double scale = 1.0 / idx.length;
                double sq = 0;
                if (trainEncoder) {
                    encoderGrad.muli(scale);
                    sq += Nd4j.getBlasWrapper().dot(encoderGrad, encoderGrad);
                }
                if (trainDecoder) {
                    decoderGrad.muli(scale);
                    sq += Nd4j.getBlasWrapper().dot(decoderGrad, decoderGrad);
                }
                gradNormMax = Math.max(gradNormMax, Math.sqrt(sq));
                if (trainEncoder) {
                    encoderUpdater.step(instructions.learningRate());
                }
                if (trainDecoder) {
                    decoderUpdater.step(instructions.learningRate());
                }
            }
        }
        double loss = lossSum / steps;
        LOG.debug("VAE fit: {} steps on {} examples, loss {}, max grad norm {}", steps, n, loss, gradNormMax);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.put("steps", (double) steps);
        metrics.put("gradNormMax", gradNormMax);
        return metrics;
    }

    /**
     * DP-SGD local training: per step a Poisson batch, per-example clipped gradients of the trained parts (ghost
     * norms, then one backward pass of the clip-weighted loss), Gaussian noise on the sum, division by the expected
     * batch size, then the optimiser step (with the proximal term, which depends on no record). Reports only
     * {@code steps}: losses and norms are functions of the records.
     */
    private Map<String, Double> fitPrivately(Dataset data, FitInstructions instructions, int n, boolean trainEncoder,
            boolean trainDecoder) {
        DpSgdPlan plan = DpSgdPlan.of(instructions, n, 1);
        PoissonBatches batches = recordDp.batches(n, plan, instructions.seed());
        GradientNoise dpNoise = recordDp.noise(instructions.seed());
        INDArray oneHot = oneHot(data);
        try (NativeRandom noise = new NativeRandom(Seeds.derive(instructions.seed(), "vae/noise"))) {
            for (long s = 0; s < plan.steps(); s++) {
                clippedGradientSum(data.features(), oneHot, batches.next(), noise, trainEncoder, trainDecoder);
                if (trainEncoder) {
                    recordDp.privatize(dpNoise, plan.expectedBatch(), encoderGrad);
                    encoderUpdater.step(instructions.learningRate());
                }
                if (trainDecoder) {
                    recordDp.privatize(dpNoise, plan.expectedBatch(), decoderGrad);
                    decoderUpdater.step(instructions.learningRate());
                }
            }
        }
        LOG.debug("VAE private fit: {} DP-SGD steps, q = {}", plan.steps(), plan.q());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("steps", (double) plan.steps());
        return metrics;
    }

    /**
     * Writes Σ_i clip(g_i) over the records {@code idx} into the gradient vectors of the trained parts (zero for an
     * empty batch). The batch is padded to a multiple of {@value #PAD} rows with weight 0 so few buffer sizes recur.
     */
    private void clippedGradientSum(INDArray features, INDArray oneHot, int[] idx, NativeRandom noise,
            boolean trainEncoder, boolean trainDecoder) {
        if (idx.length == 0) {
            encoderGrad.assign(0);
            decoderGrad.assign(0);
            return;
        }
        VaeBuffers b = gather(features, oneHot, padded(idx));
        noise.gaussian(b.eps);
        clippedSum(b, idx.length, trainEncoder, trainDecoder, recordDp.clip());
    }

    private static int[] padded(int[] idx) {
        return Arrays.copyOf(idx, (idx.length + PAD - 1) / PAD * PAD);
    }

    /** Forward, ghost norms, then the backward pass of the clip-weighted loss of the first {@code members} rows. */
    private void clippedSum(VaeBuffers b, int members, boolean trainEncoder, boolean trainDecoder, double clip) {
        network.forward(b);
        INDArray normSq = GhostNorms.accumulator(b.rows);
        network.backward(b, trainEncoder, trainDecoder, config.beta(), null, normSq);
        INDArray weights = GhostNorms.clipWeights(normSq, clip, members);
        network.backward(b, trainEncoder, trainDecoder, config.beta(), weights, null);
    }

    /** The optimizer the configuration names, for a part of the given length. */
    private static FlatOptimizer createOptimizer(VaeConfig c, long length) {
        return switch (c.optimizer()) {
            case ADAM -> new FlatAdam(length, c.adamBeta1(), c.adamBeta2(), c.adamEpsilon());
            case SGD -> new FlatSgd(length);
        };
    }

    /**
     * The gradient of the mean training loss over all of {@code data} at the current parameters, for the trained
     * parts; the data are processed in chunks of {@code instructions.batchSize()} weighted by their sizes, with noise
     * seeded by {@code instructions.seed()}. No proximal term. Parameters do not change.
     */
    @Override
    public Map<String, INDArray> gradient(Dataset data, FitInstructions instructions) {
        Objects.requireNonNull(instructions, "instructions");
        int n = checkData(data);
        boolean trainEncoder = trains(instructions, ENCODER);
        boolean trainDecoder = trains(instructions, DECODER);
        INDArray oneHot = oneHot(data);
        int chunk = Math.min(instructions.batchSize(), n);
        INDArray encAcc = trainEncoder ? Nd4j.zeros(DataType.FLOAT, encoder.length()) : null;
        INDArray decAcc = trainDecoder ? Nd4j.zeros(DataType.FLOAT, decoder.length()) : null;
        try (NativeRandom noise = new NativeRandom(Seeds.derive(instructions.seed(), "vae/noise"))) {
            for (int from = 0; from < n; from += chunk) {
                VaeBuffers b = gather(data.features(), oneHot, Labels.range(from, Math.min(from + chunk, n)));
                noise.gaussian(b.eps);
                network.forward(b);
                network.backward(b, trainEncoder, trainDecoder, config.beta());
                if (trainEncoder) {
                    encAcc.addi(encoderGrad);
                }
                if (trainDecoder) {
                    decAcc.addi(decoderGrad);
                }
            }
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (trainEncoder) {
            out.put(ENCODER, encAcc.divi(n));
        }
        if (trainDecoder) {
            out.put(DECODER, decAcc.divi(n));
        }
        return out;
    }

    /**
     * Evaluates with beta = 1 and one noise draw per example (seeded by {@code seed}).
     *
     * @return {@code elbo} (mean per-example ELBO in nats, −(recon + kl)), {@code recon} (mean BCE summed over
     *     features), {@code kl} (mean KL) and {@code numExamples}
     */
    @Override
    public Map<String, Double> evaluate(Dataset data, long seed) {
        int n = checkData(data);
        INDArray oneHot = oneHot(data);
        int chunk = Math.min(EVAL_CHUNK, n);
        double recon = 0;
        double kl = 0;
        try (NativeRandom noise = new NativeRandom(Seeds.derive(seed, "vae/noise"))) {
            for (int from = 0; from < n; from += chunk) {
                VaeBuffers b = gather(data.features(), oneHot, Labels.range(from, Math.min(from + chunk, n)));
                noise.gaussian(b.eps);
                network.forward(b);
                recon += VaeNetwork.reconstructionSum(b.x, b.logits);
                kl += VaeNetwork.klSum(b);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("elbo", -(recon + kl) / n);
        metrics.put("recon", recon / n);
        metrics.put("kl", kl / n);
        metrics.put("numExamples", (double) n);
        return metrics;
    }

    /**
     * Each example's ELBO in nats, −(BCE summed over features + KL), with one noise draw per example seeded by
     * {@code seed}: the per-record score of a loss-based membership-inference attack.
     */
    public double[] exampleElbo(Dataset data, long seed) {
        int n = checkData(data);
        INDArray oneHot = oneHot(data);
        double[] out = new double[n];
        try (NativeRandom noise = new NativeRandom(Seeds.derive(seed, "vae/noise"))) {
            for (int from = 0; from < n; from += EVAL_CHUNK) {
                int to = Math.min(from + EVAL_CHUNK, n);
                VaeBuffers b = gather(data.features(), oneHot, Labels.range(from, to));
                noise.gaussian(b.eps);
                network.forward(b);
                INDArray bce = Transforms.max(b.logits, 0.0, true).subi(b.logits.mul(b.x))
                        .addi(Transforms.log(Transforms.exp(Transforms.abs(b.logits, true).negi(), false).addi(1.0),
                                false)).sum(1);
                INDArray kl = b.mu.mul(b.mu).addi(b.std.mul(b.std)).subi(b.logVar).subi(1.0).sum(1).muli(0.5);
                double[] r = bce.addi(kl).toDoubleVector();
                for (int i = 0; i < r.length; i++) {
                    out[from + i] = -r[i];
                }
            }
        }
        return out;
    }

    /**
     * Decodes z ~ N(0, I) and returns the Bernoulli means in [0, 1] as an [n, inputDim] matrix. The conditional model
     * uses the labels 0, 1, ..., numClasses − 1, 0, 1, ... in turn.
     */
    @Override
    public INDArray sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("number of samples must be >= 1, got " + n);
        }
        if (!config.isConditional()) {
            return decodeNoise(n, null, seed);
        }
        return sample(Labels.cycle(n, config.numClasses()), seed);
    }

    /**
     * Samples of the conditional model, one per label, as an [labels.length, inputDim] matrix in [0, 1].
     *
     * @throws IllegalArgumentException if the model is unconditional, labels is empty or a label is out of range
     */
    @Override
    public INDArray sample(int[] labels, long seed) {
        Objects.requireNonNull(labels, "labels");
        if (!config.isConditional()) {
            throw new IllegalArgumentException("sample(labels) needs a conditional VAE, but numClasses is 0");
        }
        Labels.checkForSampling(labels, config.numClasses());
        return decodeNoise(labels.length, oneHotOf(labels), seed);
    }

    private INDArray decodeNoise(int n, INDArray y, long seed) {
        INDArray z = Nd4j.create(DataType.FLOAT, n, config.latentDim());
        try (NativeRandom noise = new NativeRandom(Seeds.derive(seed, "vae/sample"))) {
            noise.gaussian(z);
        }
        INDArray d1Pre = Nd4j.create(DataType.FLOAT, n, config.hiddenDim());
        INDArray d1 = Nd4j.create(DataType.FLOAT, n, config.hiddenDim());
        INDArray logits = Nd4j.create(DataType.FLOAT, n, config.inputDim());
        network.decode(z, y, d1Pre, d1, logits);
        return Nd4j.exec(new Sigmoid(logits, logits));
    }

    /**
     * Test hook: the mean training loss of all of {@code batch} under the given noise [n, latent] and the mean gradient
     * of both parts (copies), with no proximal term. Parameters do not change.
     */
    LossAndGradient lossAndGradient(Dataset batch, INDArray eps) {
        int n = checkData(batch);
        VaeBuffers b = gather(batch.features(), oneHot(batch), Labels.range(0, n));
        b.eps.assign(eps);
        network.forward(b);
        double loss = batchLossSum(b, config.beta()) / n;
        network.backward(b, true, true, config.beta());
        return new LossAndGradient(loss, encoderGrad.div(n), decoderGrad.div(n));
    }

    /**
     * Test hook: Σ_i min(1, C/‖g_i‖) g_i over all rows of {@code batch} under the noise {@code eps} [n, latent], for
     * both parts (copies), as the private step computes it before noise. Parameters do not change.
     */
    LossAndGradient clippedSum(Dataset batch, INDArray eps, double clip) {
        int n = checkData(batch);
        VaeBuffers b = gather(batch.features(), oneHot(batch), padded(Labels.range(0, n)));
        b.eps.assign(0);
        b.eps.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(eps);
        clippedSum(b, n, true, true, clip);
        return new LossAndGradient(Double.NaN, encoderGrad.dup(), decoderGrad.dup());
    }

    /** Test hook: the layer views of the parameters. */
    VaeLayout layout() {
        return params;
    }

    record LossAndGradient(double loss, INDArray encoder, INDArray decoder) {
    }

    private static double batchLossSum(VaeBuffers b, double beta) {
        return VaeNetwork.reconstructionSum(b.x, b.logits) + beta * VaeNetwork.klSum(b);
    }

    private VaeBuffers gather(INDArray features, INDArray oneHot, int[] idx) {
        VaeBuffers b = buffers.get(idx.length);
        if (b == null) {
            if (buffers.size() >= MAX_CACHED_BATCH_SIZES) {
                buffers.clear();
            }
            b = new VaeBuffers(config, idx.length);
            buffers.put(idx.length, b);
        }
        Nd4j.pullRows(features, b.x, 1, idx);
        if (oneHot != null) {
            Nd4j.pullRows(oneHot, b.y, 1, idx);
        }
        return b;
    }

    private int checkData(Dataset data) {
        return TrainingData.check(data, "VAE", config.inputDim(), config.numClasses());
    }

    /** One-hot labels [n, classes] of the data for the conditional model, or null. */
    private INDArray oneHot(Dataset data) {
        return config.isConditional() ? oneHotOf(data.labels()) : null;
    }

    private INDArray oneHotOf(int[] labels) {
        int k = config.numClasses();
        float[] flat = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is outside [0, " + k
                        + ")");
            }
            flat[i * k + labels[i]] = 1f;
        }
        return Nd4j.createFromArray(flat).reshape('c', labels.length, k);
    }

    private boolean trains(FitInstructions instructions, String part) {
        parts.checkTrainParts(instructions);
        return instructions.trains(part);
    }

    @Override
    public int numFeatures() {
        return config.inputDim();
    }
}
