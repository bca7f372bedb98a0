package org.fedgen.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedgen.core.util.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A label-skewed split (Hsu et al. 2019): for each class c, proportions {@code q_c ~ Dir(α, …, α)} over the clients
 * are drawn, the class's examples are shuffled, and client k receives the slice
 * {@code [round(n_c · Q_{k-1}), round(n_c · Q_k))} where {@code Q_k} is the cumulative sum of {@code q_c} (and
 * {@code Q_K = 1} exactly), so every example is assigned exactly once.
 *
 * <p>Small α (e.g. 0.1) gives each client few classes and very unequal sizes; large α (e.g. 100) approaches an IID
 * split. Clients may end up empty, which is reported by a WARN and {@link Partition#emptyClients()}.
 */
public final class DirichletPartitioner implements Partitioner {
    private static final Logger LOG = LoggerFactory.getLogger(DirichletPartitioner.class);

    private final double alpha;

    /**
     * @param alpha the Dirichlet concentration, {@code > 0} and finite
     * @throws IllegalArgumentException if alpha is not positive and finite
     */
    public DirichletPartitioner(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be > 0 and finite, got " + alpha);
        }
        this.alpha = alpha;
    }

    /** The concentration α (smaller = more label skew). */
    public double alpha() {
        return alpha;
    }

    @Override
    public Partition partition(int[] labels, int numClients, long seed) {
        Partition.checkLabels(labels);
        Shuffle.checkNumClients(numClients);
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "partition.dirichlet"));
        int[][] byClass = indicesByClass(labels);
        int[][] parts = new int[numClients][];
        int[] fill = new int[numClients];
        int[][] slices = new int[byClass.length][];
        for (int c = 0; c < byClass.length; c++) {
            int[] members = byClass[c];
            Shuffle.shuffle(members, 0, members.length, rng);
            slices[c] = boundaries(dirichlet(rng, numClients), members.length);
        }
        int[] sizes = new int[numClients];
        for (int[] b : slices) {
            for (int k = 0; k < numClients; k++) {
                sizes[k] += b[k + 1] - b[k];
            }
        }
        for (int k = 0; k < numClients; k++) {
            parts[k] = new int[sizes[k]];
        }
        for (int c = 0; c < byClass.length; c++) {
            int[] b = slices[c];
            for (int k = 0; k < numClients; k++) {
                int len = b[k + 1] - b[k];
                System.arraycopy(byClass[c], b[k], parts[k], fill[k], len);
                fill[k] += len;
            }
        }
        Partition p = Partition.of(parts, labels);
        p.warnIfEmpty(LOG, toString());
        return p;
    }

    /** One Dir(α, …, α) sample of length k, normalised in log space so tiny α cannot underflow to 0 / 0. */
    private double[] dirichlet(SplittableRandom rng, int k) {
        double[] logG = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            logG[i] = GammaSampler.logSample(rng, alpha);
            max = Math.max(max, logG[i]);
        }
        double sum = 0;
        double[] q = new double[k];
        for (int i = 0; i < k; i++) {
            q[i] = StrictMath.exp(logG[i] - max);
            sum += q[i];
        }
        for (int i = 0; i < k; i++) {
            q[i] /= sum;
        }
        return q;
    }

    /**
     * Slice boundaries b[0] = 0 ≤ b[1] ≤ … ≤ b[k] = n from cumulative rounding of the proportions. Rounding the
     * cumulative sums (not each share) keeps the total exactly n and each slice within one of its real-valued share.
     */
    static int[] boundaries(double[] proportions, int n) {
        int k = proportions.length;
        int[] b = new int[k + 1];
        double cum = 0;
        for (int i = 0; i < k - 1; i++) {
            cum += proportions[i];
            long r = Math.round(cum * n);
            b[i + 1] = (int) Math.max(b[i], Math.min(n, r));
        }
        b[k] = n;
        return b;
    }

    /** The example indices of each label 0 .. max, ascending. */
    static int[][] indicesByClass(int[] labels) {
        int numClasses = Arrays.stream(labels).max().orElse(-1) + 1;
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        return byClass;
    }

    @Override
    public String toString() {
        return "DirichletPartitioner(alpha=" + alpha + ")";
    }
}
