package org.fedgen.models.gan;

import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fedgen.core.ModelState;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.optim.FlatAdam;
import org.fedgen.models.train.NativeRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The server-side generator step of DP-FedAvg-GAN (Augenstein 2019): trains G for {@code steps} Adam steps against the
 * fixed discriminator of a state, from a seed. Its API takes parameters and a seed only, never a dataset: G never sees
 * data, so the step is post-processing of the (DP) aggregated discriminator.
 *
 * <p>Each call starts a fresh Adam. Conditional models draw G's labels uniformly over the classes. Not thread-safe.
 */
public final class GeneratorTrainer {
    private final GanConfig config;
    private final int steps;
    private final int batchSize;
    private final double learningRate;
    private final GanNetworks nets;
    private final FlatAdam adam;

    /**
     * @param steps        n_gen, generator steps per call (≥ 1)
     * @param batchSize    latents per step (≥ 1)
     * @param learningRate Adam step size
     */
    public GeneratorTrainer(GanConfig config, int steps, int batchSize, double learningRate) {
        this.config = Objects.requireNonNull(config, "config");
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (config.numSources() > 0) {
            throw new IllegalArgumentException("GeneratorTrainer cannot choose the codes of a generator with "
                    + config.numSources() + " source codes");
        }
        this.steps = steps;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.nets = new GanNetworks(config, DataType.FLOAT);
        this.adam = new FlatAdam(nets.generator.params().length(), config.beta1(), config.beta2(),
                config.adamEpsilon());
    }

    /** n_gen steps with the config's learning rate. */
    public GeneratorTrainer(GanConfig config, int steps, int batchSize) {
        this(config, steps, batchSize, config.learningRate());
    }

    /**
     * Trains the generator of {@code state} against its discriminator.
     *
     * @return a state with the same round and parts: a new generator vector, the very same discriminator vector
     * @throws IllegalArgumentException if a part is missing or has the wrong length
     */
    public ModelState train(ModelState state, long seed) {
        Objects.requireNonNull(state, "state");
        load(state, Gan.GENERATOR, nets.generator);
        load(state, Gan.DISCRIMINATOR, nets.discriminator);
        adam.reset();
        INDArray z = Nd4j.create(DataType.FLOAT, batchSize, config.latentDim());
        SplittableRandom labelRng = new SplittableRandom(Seeds.derive(seed, "generator-trainer-labels"));
        try (NativeRandom noise = new NativeRandom(Seeds.derive(seed, "generator-trainer-noise"))) {
            for (int s = 0; s < steps; s++) {
                noise.gaussian(z);
                int[] labels = null;
                if (config.conditional()) {
                    labels = new int[batchSize];
                    for (int i = 0; i < batchSize; i++) {
                        labels[i] = labelRng.nextInt(config.numClasses());
                    }
                }
                nets.generatorGradient(z, labels, 1.0 / batchSize, false);
                adam.step(nets.generator.params(), nets.generator.gradient(), learningRate);
            }
        }
        return state.with(Map.of(Gan.GENERATOR, nets.generator.params().dup()));
    }

    /** Alias of {@link #train} shaped like a server-side step: (aggregated state, round seed) → new state. */
    public ModelState apply(ModelState aggregated, long seed) {
        return train(aggregated, seed);
    }

    private static void load(ModelState state, String part, Mlp net) {
        INDArray v = state.part(part);
        if (v.length() != net.params().length()) {
            throw new IllegalArgumentException("part '" + part + "' has length " + v.length() + ", config needs "
                    + net.params().length());
        }
        net.params().assign(v);
    }
}
