package org.fedgen.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Small seeded regression shards for engine tests. */
final class TestData {
    private TestData() {
    }

    /** {@code clients} shards of 5 + 3·i rows of dimension dim; targets are integer labels 0–4. */
    static List<Dataset> shards(int clients, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Dataset> out = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int n = 5 + 3 * c;
            float[] x = new float[n * dim];
            int[] y = new int[n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble(-1, 1);
            }
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(5);
            }
            out.add(new Dataset(Nd4j.create(x, new long[] {n, dim}, DataType.FLOAT), y, new int[] {dim}));
        }
        return out;
    }
}
