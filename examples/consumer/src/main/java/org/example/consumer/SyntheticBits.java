package org.example.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small synthetic dataset of binary 16-d rows: {@value #PATTERNS} random bit patterns, each row one pattern with every
 * bit flipped with probability {@value #FLIP}. Client c draws 80 % of its rows from pattern c mod 4, the rest from any
 * pattern, so clients are label-skewed as federated silos are.
 */
public final class SyntheticBits {
    /** Width of a row. */
    public static final int DIM = 16;
    static final int PATTERNS = 4;
    static final double FLIP = 0.05;

    private final float[][] patterns = new float[PATTERNS][DIM];

    /** The patterns are drawn from {@code seed}; every dataset of this instance uses the same ones. */
    public SyntheticBits(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (float[] p : patterns) {
            for (int j = 0; j < DIM; j++) {
                p[j] = rng.nextBoolean() ? 1f : 0f;
            }
        }
    }

    /** {@code clients} shards of {@code rowsPerClient} rows each, seeded by {@code seed}. */
    public List<Dataset> shards(int clients, int rowsPerClient, long seed) {
        if (clients < 1 || rowsPerClient < 1) {
            throw new IllegalArgumentException("need clients >= 1 and rowsPerClient >= 1, got " + clients + " and "
                    + rowsPerClient);
        }
        List<Dataset> out = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            out.add(rows(rowsPerClient, c % PATTERNS, new SplittableRandom(seed * 1_000_003L + c)));
        }
        return out;
    }

    /** {@code n} rows drawn uniformly over the patterns (held-out data), seeded by {@code seed}. */
    public Dataset mixed(int n, long seed) {
        return rows(n, -1, new SplittableRandom(seed));
    }

    private Dataset rows(int n, int favourite, SplittableRandom rng) {
        float[][] x = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            boolean own = favourite >= 0 && rng.nextDouble() < 0.8;
            float[] p = patterns[own ? favourite : rng.nextInt(PATTERNS)];
            for (int j = 0; j < DIM; j++) {
                x[i][j] = rng.nextDouble() < FLIP ? 1f - p[j] : p[j];
            }
        }
        return Dataset.unlabelled(Nd4j.createFromArray(x));
    }
}
