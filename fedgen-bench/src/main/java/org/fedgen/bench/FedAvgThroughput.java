package org.fedgen.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.aggregate.FedAvg;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * FedAvg over K clients × P float32 weights: fedgen's {@link FedAvg} (buffered {@code aggregate}) against a one-pass
 * Java loop over the same values held in {@code float[]} (blocked so the running sum stays in L1: every input byte is
 * read once, which is the limit of any weighted mean). Throughput counts the K·P·4 input bytes.
 */
final class FedAvgThroughput {
    /** Input gigabytes per second of each, medians over the repeats. */
    record Result(int clients, int params, double fedgenGbps, double javaGbps) {
        double ratio() {
            return fedgenGbps / javaGbps;
        }
    }

    private static final int BLOCK = 2048;
    private final int clients;
    private final int params;
    private final int repeats;

    FedAvgThroughput(int clients, int params, int repeats) {
        this.clients = clients;
        this.params = params;
        this.repeats = repeats;
    }

    Result run() {
        SplittableRandom rng = new SplittableRandom(1);
        float[][] values = new float[clients][params];
        long[] examples = new long[clients];
        List<ClientUpdate> updates = new ArrayList<>(clients);
        for (int k = 0; k < clients; k++) {
            for (int i = 0; i < params; i++) {
                values[k][i] = (float) rng.nextGaussian();
            }
            examples[k] = 1 + rng.nextInt(1000);
            Map<String, INDArray> part = new LinkedHashMap<>();
            part.put("w", Nd4j.createFromArray(values[k]));
            updates.add(new ClientUpdate(k, 1, examples[k], PayloadKind.WEIGHTS, part, Map.of()));
        }
        ModelState global = ModelState.of(0, Map.of("w", Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                params)));
        RoundContext context = new RoundContext(1, 1, clients, clients, ids());
        FedAvg fedAvg = new FedAvg();
        double[] weights = weights(examples);
        float[] out = new float[params];
        double gb = (double) clients * params * Float.BYTES / 1e9;
        double[] f = new double[repeats];
        double[] j = new double[repeats];
        fedAvg.aggregate(global, updates, context);
        onePass(values, weights, out);
        for (int r = 0; r < repeats; r++) {
            f[r] = gb / (Timing.millis(() -> fedAvg.aggregate(global, updates, context)) / 1e3);
            j[r] = gb / (Timing.millis(() -> onePass(values, weights, out)) / 1e3);
        }
        return new Result(clients, params, Timing.median(f), Timing.median(j));
    }

    private List<Integer> ids() {
        List<Integer> ids = new ArrayList<>(clients);
        for (int k = 0; k < clients; k++) {
            ids.add(k);
        }
        return ids;
    }

    private static double[] weights(long[] examples) {
        double n = 0;
        for (long e : examples) {
            n += e;
        }
        double[] w = new double[examples.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = examples[k] / n;
        }
        return w;
    }

    /** out = Σ_k w_k x_k, block by block so that the block of {@code out} stays in L1 while every x_k streams by. */
    static void onePass(float[][] x, double[] w, float[] out) {
        int p = out.length;
        for (int from = 0; from < p; from += BLOCK) {
            int to = Math.min(p, from + BLOCK);
            java.util.Arrays.fill(out, from, to, 0f);
            for (int k = 0; k < x.length; k++) {
                float wk = (float) w[k];
                float[] xk = x[k];
                for (int i = from; i < to; i++) {
                    out[i] += wk * xk[i];
                }
            }
        }
    }
}
