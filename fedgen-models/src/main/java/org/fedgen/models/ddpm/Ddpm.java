package org.fedgen.models.ddpm;

import static org.fedgen.core.util.Checks.finiteNonNegative;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fedgen.core.ConditionalGenerativeModel;
import org.fedgen.core.DriftCorrection;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GenerativeModel;
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
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A denoising diffusion probabilistic model (Ho et al. 2020) with ε-prediction, as a federated {@link GenerativeModel}
 * with the single part {@value #PART}.
 *
 * <p>Training minimises mean((ε − ε_θ(√ᾱ_t x_0 + √(1 − ᾱ_t) ε, t))²) (mean over batch and features) with t uniform in
 * 1..T, or drawn with Min-SNR-γ weights ({@link Builder#minSnrGamma}, {@link TimestepDistribution}), and
 * ε ~ N(0, I), by Adam on the flat parameter vector. {@link #evaluate} always reports the uniform-t loss. Data in [0, 1] is mapped to [−1, 1] internally;
 * samples are clipped to [−1, 1] and mapped back to [0, 1]. Not thread-safe: one instance per worker thread.
 *
 * <p>A conditional model can be trained with label dropout ({@link Builder#labelDropout}) and sampled with
 * classifier-free guidance ({@link Builder#guidance}, see {@link GuidedDenoiser}); on the federated digits this is what
 * turned the MLP's speckled samples into clean ones ({@code docs/results.md}).
 *
 * <p>Default T = {@value #DEFAULT_STEPS}: the cost of a training step does not depend on T, only sampling does, and
 * DDIM with {@value #DEFAULT_DDIM_STEPS} steps (the default sampler) makes sampling cost independent of T as well; 1000
 * keeps Ho et al.'s unscaled linear schedule, whose small per-step β suit ancestral sampling when it is wanted. The
 * default DDIM steps are few because every step is a chance for the denoiser's error to enter the trajectory: with a
 * small unconditional MLP the few large steps, which lean on x̂_0 predicted at high noise, avoid the speckle that many
 * small steps build up ({@code docs/diffusion.md}).
 */
public final class Ddpm implements ConditionalGenerativeModel {
    /** The name of the only part. */
    public static final String PART = "denoiser";
    /** Default number of diffusion steps T. */
    public static final int DEFAULT_STEPS = 1000;
    /** Default number of DDIM steps for {@link #sample(int, long)}. */
    public static final int DEFAULT_DDIM_STEPS = 4;

    private static final int EVAL_CHUNK = 256;
    /** Private batches are padded to a multiple of this many rows. */
    private static final int PAD = 8;

    private final Denoiser denoiser;
    /** The ε-predictor used for training and sampling: the denoiser, with the input skip unless it is switched off. */
    private final Denoiser net;
    /**
     * What the samplers call: {@link #net}, or the guided combination over it when the guidance weight is &gt; 0 or
     * the weight schedule is not the constant one.
     */
    private final Denoiser samplingNet;
    private final NoiseSchedule schedule;
    private final DiffusionSampler sampler;
    /** Training timesteps (fit, gradient); evaluation always uses {@link #uniform}, Ho's unweighted ε-loss. */
    private final TimestepDistribution timesteps;
    private final TimestepDistribution uniform;
    private final double labelDropout;
    private final double guidance;
    private final GuidanceInterval guidanceInterval;
    private final GuidanceSchedule guidanceSchedule;
    private final PartVectors parts;
    private final PartUpdater updater;
    private RecordDp recordDp;
    private final Map<Integer, NoisedBatch> privateBatches = new HashMap<>();

    private Ddpm(Builder b) {
        this.denoiser = Objects.requireNonNull(b.denoiser, "denoiser");
        this.schedule = b.schedule != null ? b.schedule : NoiseSchedule.linear(DEFAULT_STEPS);
        this.sampler = b.sampler != null ? b.sampler : new DdimSampler(DEFAULT_DDIM_STEPS);
        this.net = b.skip ? new EpsilonSkip(denoiser, schedule) : denoiser;
        this.uniform = TimestepDistribution.uniform(schedule.steps());
        this.timesteps = b.minSnrGamma > 0 ? TimestepDistribution.minSnr(schedule, b.minSnrGamma)
                : uniform;
        if (sampler instanceof DdimSampler) {
            ((DdimSampler) sampler).timesteps(schedule.steps());
        }
        this.labelDropout = b.labelDropout;
        this.guidance = b.guidance;
        this.guidanceInterval = b.guidanceInterval;
        this.guidanceSchedule = b.guidanceSchedule;
        boolean scheduled = guidanceSchedule != GuidanceSchedule.CONSTANT;
        if ((labelDropout > 0 || guidance > 0 || scheduled) && denoiser.numClasses() < 1) {
            throw new IllegalArgumentException("label dropout " + labelDropout + " and guidance " + guidance
                    + (scheduled ? " (schedule " + guidanceSchedule + ")" : "")
                    + " need a conditional denoiser (numClasses > 0)");
        }
        // a schedule may guide some steps even when w itself is 0 (step:S,W with w = 0)
        this.samplingNet = guidance > 0 || scheduled ? new GuidedDenoiser(net, guidance, guidanceInterval,
                guidanceSchedule, schedule.steps()) : net;
        this.parts = PartVectors.of("DDPM", PART, denoiser.params());
        this.updater = new PartUpdater(PART, denoiser.params(), denoiser.gradient(),
                new FlatAdam(denoiser.params().length(), b.beta1, b.beta2, b.epsilon));
    }

    /** A builder; only the denoiser is required. */
    public static Builder builder(Denoiser denoiser) {
        return new Builder(denoiser);
    }

    /**
     * Makes {@link #fit} record-level private with DP-SGD on the denoiser (see {@link RecordDp}): each example of a
     * Poisson batch gets its own timestep and noise draw, and the gradient of its ε-loss is clipped. Needs a denoiser
     * that computes per-example norms (the MLP); null turns it off. Returns this model.
     */
    public Ddpm privately(RecordDp dp) {
        this.recordDp = dp;
        return this;
    }

    /** The network that predicts the noise; its parameters are the {@code denoiser} part. */
    public Denoiser denoiser() {
        return denoiser;
    }

    /** The forward-process schedule (β_t, ᾱ_t) used for training and sampling. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** Probability that a training example's label is replaced by {@link Conditioning#NO_LABEL}. */
    public double labelDropout() {
        return labelDropout;
    }

    /** Classifier-free guidance weight w of sampling (0 = the plain conditional prediction). */
    public double guidance() {
        return guidance;
    }

    /** The steps at which guidance applies ({@link GuidanceInterval#ALL} unless set). */
    public GuidanceInterval guidanceInterval() {
        return guidanceInterval;
    }

    /** The guidance weight at each step ({@link GuidanceSchedule#CONSTANT}, w at every step, unless set). */
    public GuidanceSchedule guidanceSchedule() {
        return guidanceSchedule;
    }

    /** The sampler {@link #sample(int, long)} uses. */
    public DiffusionSampler defaultSampler() {
        return sampler;
    }

    /** Whether the model is conditioned on labels. */
    public boolean conditional() {
        return denoiser.numClasses() > 0;
    }

    @Override
    public int numClasses() {
        return denoiser.numClasses();
    }

    @Override
    public ModelState initialize(long seed) {
        denoiser.initialize(seed);
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
     * Trains for {@link StepPlan#of} steps on fixed-size minibatches, with a fresh Adam and the proximal term if
     * μ &gt; 0.
     *
     * @return {@code loss} (mean training ε-loss over the steps) and {@code steps}
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
        int n = checkData(data);
        parts.checkTrainParts(instructions);
        updater.begin(instructions, anchor, correction);
        if (recordDp != null) {
            return fitPrivately(data, instructions, n);
        }
        StepPlan plan = StepPlan.of(instructions, n);
        long seed = instructions.seed();
        BatchSampler batches = BatchSampler.fixedSize(n, plan.batchSize(), Seeds.derive(seed, "ddpm-batches"));
        SplittableRandom stepRng = new SplittableRandom(Seeds.derive(seed, "ddpm-steps"));
        NoisedBatch nb = new NoisedBatch(plan.batchSize(), data.numFeatures());
        nb.dropLabels(labelDropout, Seeds.derive(seed, "ddpm-label-dropout"));
        double lossSum = 0;
        try (NativeRandom noiseRng = new NativeRandom(Seeds.derive(seed, "ddpm-noise"))) {
            for (long s = 0; s < plan.steps(); s++) {
                int[] idx = batches.next();
                nb.fill(data, idx, timesteps, stepRng, noiseRng);
                lossSum += net.lossAndGradient(nb.xt, nb.t, nb.labels, nb.eps);
                updater.step(instructions.learningRate());
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", lossSum / plan.steps());
        metrics.put("steps", (double) plan.steps());
        return metrics;
    }

    /** DP-SGD local training; reports only {@code steps}. */
    private Map<String, Double> fitPrivately(Dataset data, FitInstructions instructions, int n) {
        DpSgdPlan plan = DpSgdPlan.of(instructions, n, 1);
        long seed = instructions.seed();
        PoissonBatches batches = recordDp.batches(n, plan, seed);
        GradientNoise dpNoise = recordDp.noise(seed);
        SplittableRandom stepRng = new SplittableRandom(Seeds.derive(seed, "ddpm-steps"));
        privateBatches.clear();
        try (NativeRandom noiseRng = new NativeRandom(Seeds.derive(seed, "ddpm-noise"))) {
            for (long s = 0; s < plan.steps(); s++) {
                int[] idx = batches.next();
                if (idx.length == 0) {
                    denoiser.gradient().assign(0);
                } else {
                    int rows = (idx.length + PAD - 1) / PAD * PAD;
                    NoisedBatch nb = privateBatches.computeIfAbsent(rows, r -> {
                        NoisedBatch b = new NoisedBatch(r, data.numFeatures());
                        b.dropLabels(labelDropout, Seeds.derive(seed, "ddpm-label-dropout", r));
                        return b;
                    });
                    nb.fill(data, Arrays.copyOf(idx, rows), timesteps, stepRng, noiseRng);
                    net.clippedGradientSum(nb.xt, nb.t, nb.labels, nb.eps, idx.length, recordDp.clip());
                }
                recordDp.privatize(dpNoise, plan.expectedBatch(), denoiser.gradient());
                updater.step(instructions.learningRate());
            }
        }
        privateBatches.clear();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("steps", (double) plan.steps());
        return metrics;
    }

    /**
     * The gradient of the ε-loss averaged over every example of {@code data} once, each with its own t and ε drawn
     * from the instructions' seed; parameters do not change.
     */
    @Override
    public Map<String, INDArray> gradient(Dataset data, FitInstructions instructions) {
        int n = checkData(data);
        parts.checkTrainParts(instructions);
        INDArray total = Nd4j.create(DataType.FLOAT, denoiser.params().length());
        SplittableRandom stepRng = new SplittableRandom(Seeds.derive(instructions.seed(), "ddpm-steps"));
        int chunk = Math.min(Math.max(instructions.batchSize(), EVAL_CHUNK), n);
        try (NativeRandom noiseRng = new NativeRandom(Seeds.derive(instructions.seed(), "ddpm-noise"))) {
            for (int from = 0; from < n; from += chunk) {
                int[] idx = Labels.range(from, Math.min(n, from + chunk));
                NoisedBatch nb = new NoisedBatch(idx.length, data.numFeatures());
                nb.dropLabels(labelDropout, Seeds.derive(instructions.seed(), "ddpm-label-dropout", from));
                nb.fill(data, idx, timesteps, stepRng, noiseRng);
                net.lossAndGradient(nb.xt, nb.t, nb.labels, nb.eps);
                total.addi(denoiser.gradient().mul((double) idx.length / n));
            }
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(PART, total);
        return out;
    }

    /**
     * The mean ε-loss over {@code data} with t and ε drawn from {@code seed}: {@code "loss"}, {@code "numExamples"}.
     */
    @Override
    public Map<String, Double> evaluate(Dataset data, long seed) {
        int n = checkData(data);
        SplittableRandom stepRng = new SplittableRandom(Seeds.derive(seed, "ddpm-eval-steps"));
        double sum = 0;
        try (NativeRandom noiseRng = new NativeRandom(Seeds.derive(seed, "ddpm-eval-noise"))) {
            for (int from = 0; from < n; from += EVAL_CHUNK) {
                int[] idx = Labels.range(from, Math.min(n, from + EVAL_CHUNK));
                NoisedBatch nb = new NoisedBatch(idx.length, data.numFeatures());
                nb.fill(data, idx, uniform, stepRng, noiseRng);
                sum += net.loss(nb.xt, nb.t, nb.labels, nb.eps) * idx.length;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", sum / n);
        m.put("numExamples", (double) n);
        return m;
    }

    /**
     * Each example's ε-prediction loss mean_j (ε − ε_θ(x_t, t))² at the fixed timestep {@code t}, with noise seeded
     * by {@code seed}: the per-record score of a loss-based membership-inference attack on a diffusion model.
     *
     * @throws IllegalArgumentException if t is outside [1, T]
     */
    public double[] exampleLosses(Dataset data, int t, long seed) {
        int n = checkData(data);
        if (t < 1 || t > schedule.steps()) {
            throw new IllegalArgumentException("timestep must be in [1, " + schedule.steps() + "], got " + t);
        }
        double[] out = new double[n];
        TimestepDistribution fixed = TimestepDistribution.fixed(schedule.steps(), t);
        SplittableRandom unused = new SplittableRandom(0);
        try (NativeRandom noiseRng = new NativeRandom(Seeds.derive(seed, "ddpm-mia-noise"))) {
            for (int from = 0; from < n; from += EVAL_CHUNK) {
                int[] idx = Labels.range(from, Math.min(n, from + EVAL_CHUNK));
                NoisedBatch nb = new NoisedBatch(idx.length, data.numFeatures());
                nb.fill(data, idx, fixed, unused, noiseRng);
                INDArray diff = net.predict(nb.xt, nb.t, nb.labels).sub(nb.eps);
                double[] r = diff.muli(diff).mean(1).toDoubleVector();
                System.arraycopy(r, 0, out, from, r.length);
            }
        }
        return out;
    }

    /**
     * {@code n} samples with the default sampler, in [0, 1]. A conditional model draws labels 0, 1, ..., K−1, 0, ...
     * in turn.
     */
    @Override
    public INDArray sample(int n, long seed) {
        return sample(n, seed, sampler);
    }

    /** {@code n} samples with the given sampler, in [0, 1]. */
    public INDArray sample(int n, long seed, DiffusionSampler with) {
        if (n < 1) {
            throw new IllegalArgumentException("number of samples must be >= 1, got " + n);
        }
        int[] labels = conditional() ? Labels.cycle(n, denoiser.numClasses()) : null;
        return draw(n, labels, seed, with);
    }

    /** One sample per label with the default sampler, in [0, 1]; needs a conditional model. */
    @Override
    public INDArray sample(int[] labels, long seed) {
        return sample(labels, seed, sampler);
    }

    /** One sample per label with the given sampler, in [0, 1]; needs a conditional model. */
    public INDArray sample(int[] labels, long seed, DiffusionSampler with) {
        if (!conditional()) {
            throw new IllegalArgumentException("sampling with labels needs a conditional denoiser (numClasses > 0)");
        }
        Labels.checkForSampling(labels, denoiser.numClasses());
        return draw(labels.length, labels.clone(), seed, with);
    }

    private INDArray draw(int n, int[] labels, long seed, DiffusionSampler with) {
        Objects.requireNonNull(with, "sampler");
        INDArray out;
        try (NativeRandom rng = new NativeRandom(Seeds.derive(seed, "ddpm-sample"))) {
            INDArray x = rng.gaussian(n, denoiser.dataDim());
            out = with.run(samplingNet, schedule, x, labels, rng.generator());
        }
        Transforms.min(out, 1.0, false);
        Transforms.max(out, -1.0, false);
        return out.addi(1.0).muli(0.5);
    }

    private int checkData(Dataset data) {
        return TrainingData.check(data, "DDPM", denoiser.dataDim(), denoiser.numClasses());
    }

    /** A training batch: x_0 in [−1, 1], t, ε and x_t, in buffers reused across steps of one fit. */
    private final class NoisedBatch {
        final INDArray x0;
        final INDArray eps;
        final INDArray xt;
        final INDArray signal;
        final INDArray noise;
        final int[] t;
        int[] labels;
        private double dropProbability;
        private SplittableRandom dropRng;

        NoisedBatch(int size, int features) {
            x0 = Nd4j.create(DataType.FLOAT, size, features);
            eps = Nd4j.create(DataType.FLOAT, size, features);
            xt = Nd4j.create(DataType.FLOAT, size, features);
            signal = Nd4j.create(DataType.FLOAT, size, 1);
            noise = Nd4j.create(DataType.FLOAT, size, 1);
            t = new int[size];
        }

        /** Replace each label by {@link Conditioning#NO_LABEL} with probability p, drawn from its own seeded stream. */
        void dropLabels(double p, long seed) {
            dropProbability = p;
            dropRng = p > 0 ? new SplittableRandom(seed) : null;
        }

        /** Draws t and ε and sets x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε in place (x0 is scaled on the way). */
        void fill(Dataset data, int[] idx, TimestepDistribution steps, SplittableRandom stepRng,
                NativeRandom noiseRng) {
            Nd4j.pullRows(data.features(), x0, 1, idx);
            x0.muli(2.0).subi(1.0);
            float[] a = new float[t.length];
            float[] b = new float[t.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = steps.sample(stepRng);
                double ab = schedule.alphaBar(t[i]);
                a[i] = (float) Math.sqrt(ab);
                b[i] = (float) Math.sqrt(1.0 - ab);
            }
            if (conditional()) {
                labels = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    labels[i] = data.label(idx[i]);
                    if (dropRng != null && dropRng.nextDouble() < dropProbability) {
                        labels[i] = Conditioning.NO_LABEL;
                    }
                }
            }
            noiseRng.gaussian(eps);
            signal.data().setData(a);
            noise.data().setData(b);
            xt.assign(eps).muliColumnVector(noise).addi(x0.muliColumnVector(signal));
        }
    }

    /** Settings of a {@link Ddpm}. */
    public static final class Builder {
        private final Denoiser denoiser;
        private NoiseSchedule schedule;
        private DiffusionSampler sampler;
        private boolean skip;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double minSnrGamma;
        private double labelDropout;
        private double guidance;
        private GuidanceInterval guidanceInterval = GuidanceInterval.ALL;
        private GuidanceSchedule guidanceSchedule = GuidanceSchedule.CONSTANT;

        private Builder(Denoiser denoiser) {
            this.denoiser = Objects.requireNonNull(denoiser, "denoiser");
        }

        /** The noise schedule; default linear with T = {@value Ddpm#DEFAULT_STEPS}. */
        public Builder schedule(NoiseSchedule v) {
            schedule = Objects.requireNonNull(v, "schedule");
            return this;
        }

        /** The sampler of {@link Ddpm#sample(int, long)}; default DDIM with {@value Ddpm#DEFAULT_DDIM_STEPS} steps. */
        public Builder sampler(DiffusionSampler v) {
            sampler = Objects.requireNonNull(v, "sampler");
            return this;
        }

        /**
         * Whether ε_θ gets the input skip √(1 − ᾱ_t) x_t on top of the denoiser's output (see {@link EpsilonSkip});
         * default false. (An {@link MlpDenoiser} built with the schedule has its own, learned skip.)
         */
        public Builder inputSkip(boolean v) {
            skip = v;
            return this;
        }

        /**
         * Adam's moment decay rates and ε (added to the bias-corrected √v̂, see {@link FlatAdam}); defaults 0.9,
         * 0.999, 1e-8.
         */
        public Builder adam(double b1, double b2, double eps) {
            if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1) || !(eps > 0)) {
                throw new IllegalArgumentException("Adam needs 0 <= beta1, beta2 < 1 and eps > 0, got " + b1 + ", "
                        + b2 + ", " + eps);
            }
            beta1 = b1;
            beta2 = b2;
            epsilon = eps;
            return this;
        }

        /**
         * Training timesteps drawn by Min-SNR-γ importance (see {@link TimestepDistribution}); 0 (the default) draws
         * them uniformly, Ho et al.'s L_simple.
         */
        public Builder minSnrGamma(double v) {
            minSnrGamma = finiteNonNegative("minSnrGamma", v);
            return this;
        }

        /**
         * Classifier-free guidance training: each training label is replaced by {@link Conditioning#NO_LABEL} with
         * probability p, so the one conditional denoiser also learns the unconditional ε; default 0. Needs a
         * conditional denoiser.
         */
        public Builder labelDropout(double p) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("labelDropout must be in [0, 1), got " + p);
            }
            labelDropout = p;
            return this;
        }

        /**
         * Classifier-free guidance weight w of sampling: ε̃ = (1 + w) ε_θ(x_t, t, y) − w ε_θ(x_t, t, ∅) (see
         * {@link GuidedDenoiser}); default 0, the conditional prediction. Needs a conditional denoiser, and label
         * dropout in training for ε_θ(x_t, t, ∅) to mean anything.
         */
        public Builder guidance(double w) {
            guidance = finiteNonNegative("guidance", w);
            return this;
        }

        /**
         * The steps at which guidance applies, as fractions of T (see {@link GuidanceInterval}); elsewhere the sampler
         * uses the plain conditional prediction. Default {@link GuidanceInterval#ALL}, every step.
         */
        public Builder guidanceInterval(GuidanceInterval v) {
            guidanceInterval = Objects.requireNonNull(v, "guidanceInterval");
            return this;
        }

        /**
         * The guidance weight as a function of the step, built around {@link #guidance} w (see
         * {@link GuidanceSchedule}); it applies within {@link #guidanceInterval}. Default
         * {@link GuidanceSchedule#CONSTANT}, w at every step. Any other schedule needs a conditional denoiser.
         */
        public Builder guidanceSchedule(GuidanceSchedule v) {
            guidanceSchedule = Objects.requireNonNull(v, "guidanceSchedule");
            return this;
        }

        /**
         * @throws IllegalArgumentException if a DDIM sampler has more steps than the schedule, or label dropout or
         *                                  guidance is set for an unconditional denoiser
         */
        public Ddpm build() {
            return new Ddpm(this);
        }
    }

    @Override
    public int numFeatures() {
        return denoiser.dataDim();
    }
}
