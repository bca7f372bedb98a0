package org.fedgen.models.gan;

import static org.fedgen.core.util.Checks.finitePositive;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.optim.FlatAdam;
import org.fedgen.models.train.BatchSampler;
import org.fedgen.models.train.Labels;
import org.fedgen.models.train.NativeRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An in-process MD-GAN client: it owns a discriminator, its Adam state and its local data, which never leave it (only
 * ∂L_G/∂X and, at swaps, discriminator parameters do). The Adam state persists across iterations and is reset when a
 * swapped-in discriminator arrives. Not thread-safe.
 */
public final class MdGanClient implements MdGanClientEndpoint {
    private final GanConfig config;
    private final Dataset data;
    private final double learningRate;
    private final GanNetworks nets;
    private final FlatAdam adam;
    private final int[] labels;

    /**
     * @param initSeed seed of the discriminator's initial parameters
     * @throws IllegalArgumentException if the data do not fit the config or the learning rate is not positive
     */
    public MdGanClient(GanConfig config, Dataset data, double learningRate, long initSeed) {
        this.config = Objects.requireNonNull(config, "config");
        this.data = Objects.requireNonNull(data, "data");
        if (data.size() < 1 || data.numFeatures() != config.dataDim()) {
            throw new IllegalArgumentException("client data must have >= 1 example of " + config.dataDim()
                    + " features, got " + data);
        }
        if (config.conditional() && !data.hasLabels()) {
            throw new IllegalArgumentException("conditional GAN needs labelled client data, got " + data);
        }
        this.learningRate = finitePositive("learningRate", learningRate);
        this.nets = new GanNetworks(config, DataType.FLOAT);
        nets.initialize(initSeed);
        this.adam = new FlatAdam(nets.discriminator.params().length(), config.beta1(),
                config.beta2(), config.adamEpsilon());
        this.labels = data.hasLabels() ? data.labels() : null;
    }

    @Override
    public int numExamples() {
        return data.size();
    }

    @Override
    public MdGanFeedback discriminatorFeedback(INDArray generated, int[] fakeLabels, int discriminatorSteps,
            long seed) {
        Objects.requireNonNull(generated, "generated");
        if (generated.rank() != 2 || generated.columns() != config.dataDim() || generated.rows() < 1) {
            throw new IllegalArgumentException("generated batch must be [B, " + config.dataDim() + "], got "
                    + java.util.Arrays.toString(generated.shape()));
        }
        if (discriminatorSteps < 0) {
            throw new IllegalArgumentException("discriminatorSteps must be >= 0, got " + discriminatorSteps);
        }
        INDArray fake = generated.castTo(DataType.FLOAT);
        int b = (int) fake.rows();
        double dLoss = 0;
        if (discriminatorSteps > 0) {
            BatchSampler batches = BatchSampler.fixedSize(data.size(), b, Seeds.derive(seed, "mdgan-client-batches"));
            INDArray real = Nd4j.create(DataType.FLOAT, b, config.dataDim());
            INDArray eps = Nd4j.create(DataType.FLOAT, b, 1);
            try (NativeRandom noise = new NativeRandom(Seeds.derive(seed, "mdgan-client-noise"))) {
                for (int s = 0; s < discriminatorSteps; s++) {
                    int[] idx = batches.next();
                    Nd4j.pullRows(data.features(), real, 1, idx);
                    if (config.loss() == GanLoss.WGAN_GP) {
                        noise.uniform(eps);
                    }
                    dLoss += nets.discriminatorGradient(real, Labels.pick(labels, idx), fake, fakeLabels, eps, 1.0 / b,
                            1.0 / b, false);
                    adam.step(nets.discriminator.params(), nets.discriminator.gradient(), learningRate);
                }
            }
        }
        GanNetworks.Feedback f = nets.generatorFeedback(fake, fakeLabels, 1.0 / b);
        return new MdGanFeedback(f.inputGradient().dup('c'), f.loss(),
                discriminatorSteps > 0 ? dLoss / discriminatorSteps : Double.NaN);
    }

    @Override
    public INDArray exportDiscriminator() {
        return nets.discriminator.params().dup();
    }

    @Override
    public void importDiscriminator(INDArray parameters) {
        if (parameters.length() != nets.discriminator.params().length()) {
            throw new IllegalArgumentException("discriminator has " + nets.discriminator.params().length()
                    + " parameters, got " + parameters.length());
        }
        nets.discriminator.params().assign(parameters.reshape(parameters.length()));
        adam.reset();
    }

    /**
     * The discriminator ({@code discriminator}) and its Adam state ({@code adam/}): what this client must keep to
     * continue a run, and in a deployment persist itself (it never leaves the client otherwise except at swaps).
     */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        s.put("discriminator", nets.discriminator.params().dup());
        adam.state().forEach((k, v) -> s.put("adam/" + k, v));
        return s;
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @throws IllegalArgumentException if an entry is missing or does not fit the discriminator
     */
    public void restoreState(Map<String, INDArray> s) {
        INDArray d = s.get("discriminator");
        if (d == null) {
            throw new IllegalArgumentException("MD-GAN client state lacks 'discriminator', has " + s.keySet());
        }
        importDiscriminator(d);
        adam.restoreState(MdGanTrainer.under("adam/", s));
    }
}
