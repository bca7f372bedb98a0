package org.fedgen.models.gan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fedgen.core.io.ExactState;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.optim.FlatAdam;
import org.fedgen.models.optim.WeightAverage;
import org.fedgen.models.train.NativeRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MD-GAN server (Hardy, Le Merrer, Sericola 2019) driving its clients through {@link MdGanClientEndpoint}s. The
 * server holds the only generator. Iteration t: for each client k it draws latents z_k (and labels y_k), sends
 * X_k = G(z_k, y_k); the client runs L discriminator steps and returns F_k = ∂L_G,k/∂X_k; the server forms
 * ∇_θ L_G = Σ_k (n_k/N) J_G(z_k)ᵀ F_k — the gradient of the clients' generator losses weighted by their share of the
 * data — and takes one Adam step. (Uniform weights 1/K would make G fit the uniform mixture of the clients'
 * distributions, which under label skew over-weights the classes of small clients; n_k/N makes the target the union of
 * the clients' data.) Every E epochs (an epoch = ⌈mean n_k / (B·max(L,1))⌉ iterations: the real examples a client consumes) the
 * discriminators are permuted among clients by a seeded random permutation.
 *
 * <p>With a source-coded generator ({@link GanConfig#numSources()} = K) client k's batch is X_k = G(z_k, k): each
 * discriminator then judges one code's samples against one client's data, so the generator's objective is a sum of
 * per-client divergences between p_k and G(·, k), minimised when every code reproduces its client, and samples that
 * draw k with probability n_k/N (the config's source weights) follow the union of the data. Without codes one G must
 * answer every client's discriminator at once, and under label skew a class held by few clients is judged fake by
 * the others, so such a class is under-produced (measured in {@code docs/results.md}). Codes tell
 * the server each client's distribution, which a plain MD-GAN server only sees mixed.
 *
 * <p>Clients are called one after another in index order, so the result does not depend on timing.
 */
public final class MdGanTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(MdGanTrainer.class);

    private final GanConfig config;
    private final List<MdGanClientEndpoint> clients;
    private final int batchSize;
    private final int discriminatorSteps;
    private final int swapEpochs;
    private final double learningRate;
    private final long seed;
    private final GanNetworks nets;
    private final FlatAdam adam;
    private final long swapPeriod;
    /** n_k / N per client. */
    private final double[] weights;
    private long iteration;
    private MdGanTraffic totalTraffic = MdGanTraffic.NONE;
    private MdGanTraffic lastExchangeTraffic = MdGanTraffic.NONE;

    /**
     * @param clients            the K ≥ 1 clients, in a fixed order
     * @param batchSize          B, generated examples per client per iteration
     * @param discriminatorSteps L ≥ 0, discriminator steps per client per iteration
     * @param swapEpochs         E, epochs between discriminator swaps (0 = never swap)
     * @param learningRate       the generator's Adam step size
     * @param seed               seeds the generator's initialisation, latents, labels, client calls and swaps
     */
    public MdGanTrainer(GanConfig config, List<? extends MdGanClientEndpoint> clients, int batchSize,
            int discriminatorSteps, int swapEpochs, double learningRate, long seed) {
        this.config = Objects.requireNonNull(config, "config");
        if (clients == null || clients.isEmpty()) {
            throw new IllegalArgumentException("MD-GAN needs at least one client, got " + clients);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (discriminatorSteps < 0) {
            throw new IllegalArgumentException("discriminatorSteps must be >= 0, got " + discriminatorSteps);
        }
        if (swapEpochs < 0) {
            throw new IllegalArgumentException("swapEpochs must be >= 0, got " + swapEpochs);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        this.clients = List.copyOf(clients);
        this.batchSize = batchSize;
        this.discriminatorSteps = discriminatorSteps;
        this.swapEpochs = swapEpochs;
        this.learningRate = learningRate;
        this.seed = seed;
        this.nets = new GanNetworks(config, DataType.FLOAT);
        nets.initialize(Seeds.derive(seed, "mdgan-init"));
        this.adam = new FlatAdam(nets.generator.params().length(), config.beta1(), config.beta2(),
                config.adamEpsilon());
        double meanN = this.clients.stream().mapToInt(MdGanClientEndpoint::numExamples).average().orElse(1);
        long perEpoch = Math.max(1, (long) Math.ceil(meanN / ((double) batchSize * Math.max(1, discriminatorSteps))));
        this.swapPeriod = swapEpochs * perEpoch;
        long total = this.clients.stream().mapToLong(MdGanClientEndpoint::numExamples).sum();
        if (total < 1) {
            throw new IllegalArgumentException("MD-GAN clients hold no examples");
        }
        this.weights = this.clients.stream().mapToDouble(c -> c.numExamples() / (double) total).toArray();
        if (config.numSources() > 0 && config.numSources() != this.clients.size()) {
            throw new IllegalArgumentException("a source-coded generator needs one code per client: "
                    + config.numSources() + " codes, " + this.clients.size() + " clients");
        }
    }

    /** A copy of the generator parameters. */
    public INDArray generator() {
        return nets.generator.params().dup();
    }

    /** Folds the current generator parameters into {@code average} without copying them. */
    public void averageGenerator(WeightAverage average) {
        average.update(nets.generator.params());
    }

    /** Replaces the generator parameters (e.g. to start from a checkpoint); the Adam state is kept. */
    public void loadGenerator(INDArray parameters) {
        if (parameters.length() != nets.generator.params().length()) {
            throw new IllegalArgumentException("generator has " + nets.generator.params().length()
                    + " parameters, got " + parameters.length());
        }
        nets.generator.params().assign(parameters.reshape(parameters.length()));
    }

    /** Index of the next iteration (= iterations done). */
    public long iteration() {
        return iteration;
    }

    /** Iterations between discriminator swaps (0 = never). */
    public long swapPeriod() {
        return swapPeriod;
    }

    /** Bytes exchanged since construction, by direction. */
    public MdGanTraffic totalTraffic() {
        return totalTraffic;
    }

    /** The latents the server uses for client k in iteration t, [B, latentDim]. */
    public INDArray latents(long t, int client) {
        try (NativeRandom r = new NativeRandom(Seeds.derive(seed, "mdgan-latents", t, client))) {
            return r.gaussian(batchSize, config.latentDim());
        }
    }

    /** The labels the server conditions client k's batch on in iteration t (uniform over classes), or null. */
    public int[] labels(long t, int client) {
        if (!config.conditional()) {
            return null;
        }
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "mdgan-labels", t, client));
        int[] y = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            y[i] = r.nextInt(config.numClasses());
        }
        return y;
    }

    /** Runs one iteration: exchange with every client, one generator Adam step, and a swap when one is due. */
    public MdGanIteration iterate() {
        long t = iteration;
        double[] losses = exchange(t);
        MdGanTraffic traffic = lastExchangeTraffic;
        adam.step(nets.generator.params(), nets.generator.gradient(), learningRate);
        iteration++;
        boolean swap = swapPeriod > 0 && clients.size() > 1 && iteration % swapPeriod == 0;
        if (swap) {
            traffic = traffic.plus(swapDiscriminators(iteration));
        }
        totalTraffic = totalTraffic.plus(traffic);
        LOG.debug("MD-GAN iteration {}: g_loss {} d_loss {} swapped {} traffic {}", t, losses[0], losses[1], swap,
                traffic);
        return new MdGanIteration(t, losses[0], losses[1], swap, traffic);
    }

    /**
     * The exchange of iteration t: leaves the assembled ∇_θ L_G in the generator's gradient vector (no step).
     *
     * @return {mean generator loss, mean discriminator loss}
     */
    double[] exchange(long t) {
        int k = clients.size();
        long down = 0;
        long up = 0;
        double gLoss = 0;
        double dLoss = 0;
        for (int c = 0; c < k; c++) {
            INDArray z = latents(t, c);
            int[] y = labels(t, c);
            int[] gIn = generatorInput(y, c);
            INDArray x = nets.sample(z, gIn).dup();
            down += x.length() * Float.BYTES + (y == null ? 0 : (long) y.length * Integer.BYTES);
            MdGanFeedback fb = clients.get(c).discriminatorFeedback(x, y, discriminatorSteps,
                    Seeds.derive(seed, "mdgan-client-call", t, c));
            INDArray g = fb.inputGradient();
            if (g == null || g.rank() != 2 || g.rows() != x.rows() || g.columns() != x.columns()) {
                throw new IllegalStateException("client " + c + " returned feedback of shape "
                        + (g == null ? "null" : java.util.Arrays.toString(g.shape())) + ", expected "
                        + java.util.Arrays.toString(x.shape()));
            }
            up += g.length() * Float.BYTES + 2L * Double.BYTES;
            nets.generatorBackward(z, gIn, g.castTo(DataType.FLOAT).mul(weights[c]), c > 0);
            gLoss += fb.generatorLoss() * weights[c];
            dLoss += fb.discriminatorLoss() * weights[c];
        }
        lastExchangeTraffic = new MdGanTraffic(down, up, 0);
        return new double[] {gLoss, dLoss};
    }

    /** What G is conditioned on for client k's batch: its code k for a source-coded generator, else the labels. */
    private int[] generatorInput(int[] labels, int client) {
        if (config.numSources() == 0) {
            return labels;
        }
        int[] codes = new int[batchSize];
        java.util.Arrays.fill(codes, client);
        return codes;
    }

    /** The generator's gradient vector (valid after {@link #exchange} until the next step). */
    INDArray assembledGradient() {
        return nets.generator.gradient();
    }

    private MdGanTraffic swapDiscriminators(long afterIteration) {
        int k = clients.size();
        int[] perm = new int[k];
        for (int i = 0; i < k; i++) {
            perm[i] = i;
        }
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "mdgan-swap", afterIteration));
        for (int i = k - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        List<INDArray> ds = new ArrayList<>(k);
        for (MdGanClientEndpoint c : clients) {
            ds.add(c.exportDiscriminator());
        }
        long bytes = 0;
        for (int i = 0; i < k; i++) {
            if (perm[i] != i) {
                clients.get(i).importDiscriminator(ds.get(perm[i]));
                bytes += ds.get(perm[i]).length() * Float.BYTES;
            }
        }
        return new MdGanTraffic(0, 0, bytes);
    }

    /** The generator ({@code generator}), its Adam state ({@code adam/}) and the iteration count, for a checkpoint. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        s.put("generator", generator());
        adam.state().forEach((k, v) -> s.put("adam/" + k, v));
        s.put("iteration", ExactState.ofLongs(iteration));
        return s;
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @throws IllegalArgumentException if an entry is missing or does not fit the generator
     */
    public void restoreState(Map<String, INDArray> s) {
        INDArray g = s.get("generator");
        INDArray t = s.get("iteration");
        if (g == null || t == null) {
            throw new IllegalArgumentException("MD-GAN server state lacks 'generator' or 'iteration', has "
                    + s.keySet());
        }
        loadGenerator(g);
        adam.restoreState(under("adam/", s));
        iteration = ExactState.toLong("iteration", t);
    }

    /** The entries of {@code s} under {@code prefix}, with the prefix removed. */
    static Map<String, INDArray> under(String prefix, Map<String, INDArray> s) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
