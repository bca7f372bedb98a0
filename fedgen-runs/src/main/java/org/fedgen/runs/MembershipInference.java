package org.fedgen.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fedgen.core.GenerativeModel;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.metrics.DigitsSplit;
import org.fedgen.models.vae.Vae;
import org.fedgen.privacy.MembershipMetrics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Membership inference against a trained model, as a measurement: for records known to be members (trained on) and
 * non-members, a per-record score is computed and {@link MembershipMetrics} says how well it separates them. Two
 * attacks per model:
 * <ul>
 *   <li>{@code loss}: the family's own likelihood-like score — the VAE's ELBO (mean of 4 noise draws), the GAN
 *       discriminator's value D(x) (LOGAN, Hayes et al. 2019), the DDPM's negative ε-prediction loss averaged over the
 *       fixed timesteps T/10, T/4 and T/2 (one noise draw each);</li>
 *   <li>{@code gan-leaks}: the black-box distance attack on generated samples (Chen et al. 2020): minus the squared
 *       distance from the record to its nearest of {@code samples} generated samples.</li>
 * </ul>
 * The two sets are subsampled to at most {@code maxExamples} records each (seeded).
 */
public final class MembershipInference {
    private final TrainedModel trained;
    private final int maxExamples;
    private final int samples;
    private final int bootstrap;
    private final long seed;

    /** One attack's outcome. */
    public record Result(String attack, int members, int nonMembers, MembershipMetrics metrics) {
    }

    /**
     * @param maxExamples records per side at most (≥ 1)
     * @param samples     generated samples of the distance attack (≥ 1)
     * @param bootstrap   resamples of the confidence intervals (≥ 1)
     * @throws IllegalArgumentException for a count below 1
     */
    public MembershipInference(TrainedModel trained, int maxExamples, int samples, int bootstrap, long seed) {
        this.trained = Objects.requireNonNull(trained, "trained");
        if (maxExamples < 1 || samples < 1 || bootstrap < 1) {
            throw new IllegalArgumentException("max examples, samples and bootstrap resamples must be >= 1, got "
                    + maxExamples + ", " + samples + ", " + bootstrap);
        }
        this.maxExamples = maxExamples;
        this.samples = samples;
        this.bootstrap = bootstrap;
        this.seed = seed;
    }

    /** The training records of the run that made the checkpoint: the union of its clients' training shards. */
    public Dataset runMembers() {
        return Dataset.concat(FederatedRun.setup(trained.provenance().config()).shards());
    }

    /** The held-out digits no run trains on. */
    public static Dataset heldOut() {
        return DigitsSplit.heldOut();
    }

    /** Both attacks on the two sets. */
    public List<Result> run(Dataset members, Dataset nonMembers) {
        Dataset m = subsample(members, "members");
        Dataset n = subsample(nonMembers, "non-members");
        GenerativeModel model = trained.recipe().factory().get();
        model.load(trained.state());
        List<Result> out = new ArrayList<>();
        out.add(result("loss", lossScores(model, m), lossScores(model, n)));
        INDArray generated = trained.sample(samples, Seeds.derive(seed, "mia-samples"));
        out.add(result("gan-leaks", distanceScores(m, generated), distanceScores(n, generated)));
        return out;
    }

    private Result result(String attack, double[] members, double[] nonMembers) {
        return new Result(attack, members.length, nonMembers.length, MembershipMetrics.of(members, nonMembers,
                bootstrap, Seeds.derive(seed, "mia-bootstrap", attack.length())));
    }

    private double[] lossScores(GenerativeModel model, Dataset d) {
        long s = Seeds.derive(seed, "mia-loss");
        if (model instanceof Vae v) {
            double[] score = new double[d.size()];
            for (int r = 0; r < 4; r++) {
                double[] e = v.exampleElbo(d, Seeds.derive(s, "draw", r));
                for (int i = 0; i < e.length; i++) {
                    score[i] += e[i] / 4;
                }
            }
            return score;
        }
        if (model instanceof Gan g) {
            return g.discriminatorScores(d);
        }
        if (model instanceof Ddpm p) {
            int steps = p.schedule().steps();
            int[] ts = {Math.max(1, steps / 10), Math.max(1, steps / 4), Math.max(1, steps / 2)};
            double[] score = new double[d.size()];
            for (int t : ts) {
                double[] l = p.exampleLosses(d, t, Seeds.derive(s, "t", t));
                for (int i = 0; i < l.length; i++) {
                    score[i] -= l[i] / ts.length;
                }
            }
            return score;
        }
        throw new IllegalArgumentException("no loss attack for the model " + model.getClass().getName());
    }

    /** −min_j ‖x_i − g_j‖² by ‖x‖² + ‖g‖² − 2 x·g. */
    private static double[] distanceScores(Dataset d, INDArray generated) {
        INDArray x = d.features().castTo(DataType.FLOAT);
        INDArray g = generated.castTo(DataType.FLOAT);
        INDArray xSq = x.mul(x).sum(true, 1);
        INDArray gSq = g.mul(g).sum(true, 1).reshape(1, g.rows());
        INDArray dist = Nd4j.gemm(x, g, false, true).muli(-2).addiColumnVector(xSq).addiRowVector(gSq);
        double[] min = dist.min(1).toDoubleVector();
        for (int i = 0; i < min.length; i++) {
            min[i] = -Math.max(0, min[i]);
        }
        return min;
    }

    private Dataset subsample(Dataset d, String what) {
        if (d.size() == 0) {
            throw new IllegalArgumentException("the " + what + " set is empty");
        }
        if (d.numFeatures() != trained.recipe().factory().get().numFeatures()) {
            throw new IllegalArgumentException("the " + what + " have " + d.numFeatures() + " features per record,"
                    + " the model " + trained.recipe().factory().get().numFeatures());
        }
        if (d.size() <= maxExamples) {
            return d;
        }
        int[] idx = new int[d.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "mia-subsample", what.length()));
        for (int i = 0; i < maxExamples; i++) {
            int j = i + r.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return d.subset(java.util.Arrays.copyOf(idx, maxExamples));
    }
}
