package org.fedgen.privacy.secagg;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.Server;
import org.fedgen.core.aggregate.FedAvg;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A test federation: client k sends a fixed delta over parts "a" (3000) and "b" (1000) drawn from a seed, clients in
 * {@code dropAfterSharing} take part in the key exchange and then fail to upload. Clients' secrets come from seeded
 * SHA1PRNG generators, so each test sees the same masks every time.
 */
final class Federation {
    static final int A = 3000;
    static final int B = 1000;

    final SecAggConfig config;
    final List<float[][]> deltas = new ArrayList<>();
    final long[] examples;
    final InProcessSecAggChannel channel = new InProcessSecAggChannel();
    final List<SecAggClient> secagg = new ArrayList<>();
    final SecureAggregator aggregator;
    final List<ClientProxy> proxies = new ArrayList<>();
    final ModelState initial;
    /** Clients that fail at upload; tests may change it between rounds. */
    final Set<Integer> dropAfterSharing;

    Federation(SecAggConfig config, int n, double spread, Set<Integer> dropAfterSharing) {
        this(config, n, spread, dropAfterSharing, new FedAvg());
    }

    Federation(SecAggConfig config, int n, double spread, Set<Integer> dropAfterSharing, Aggregator rule) {
        this.config = config;
        this.dropAfterSharing = new java.util.TreeSet<>(dropAfterSharing);
        this.examples = new long[n];
        SplittableRandom r = new SplittableRandom(7);
        for (int k = 0; k < n; k++) {
            float[] a = new float[A];
            float[] b = new float[B];
            for (int i = 0; i < A; i++) {
                a[i] = (float) ((r.nextDouble() * 2 - 1) * spread);
            }
            for (int i = 0; i < B; i++) {
                b[i] = (float) ((r.nextDouble() * 2 - 1) * spread);
            }
            deltas.add(new float[][] {a, b});
            examples[k] = 10 + 7L * k;
        }
        this.aggregator = new SecureAggregator(rule, config, channel, 3);
        for (int k = 0; k < n; k++) {
            SecAggClient c = new SecAggClient(k, config, seeded(100 + k));
            channel.register(c);
            secagg.add(c);
            proxies.add(new MaskingClientProxy(new FixedClient(k), c));
        }
        Map<String, INDArray> init = new LinkedHashMap<>();
        init.put("a", Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, A));
        init.put("b", Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, B));
        this.initial = ModelState.of(0, init);
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom s = SecureRandom.getInstance("SHA1PRNG");
            s.setSeed(seed);
            return s;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Server server(int rounds) {
        return Server.builder().initialState(initial).clients(proxies).aggregator(aggregator).rounds(rounds).seed(1)
                .build();
    }

    /** The delta of client k, as one vector over the parts a then b. */
    double[] delta(int k) {
        double[] d = new double[A + B];
        for (int i = 0; i < A; i++) {
            d[i] = deltas.get(k)[0][i];
        }
        for (int i = 0; i < B; i++) {
            d[A + i] = deltas.get(k)[1][i];
        }
        return d;
    }

    /** The global state's change after a round, over a then b. */
    static double[] change(ModelState before, ModelState after) {
        double[] d = new double[A + B];
        float[] a0 = before.part("a").toFloatVector();
        float[] a1 = after.part("a").toFloatVector();
        float[] b0 = before.part("b").toFloatVector();
        float[] b1 = after.part("b").toFloatVector();
        for (int i = 0; i < A; i++) {
            d[i] = (double) a1[i] - a0[i];
        }
        for (int i = 0; i < B; i++) {
            d[A + i] = (double) b1[i] - b0[i];
        }
        return d;
    }

    private final class FixedClient implements ClientProxy {
        private final int id;


        FixedClient(int id) {
            this.id = id;

        }

        @Override
        public int clientId() {
            return id;
        }

        /** The server knows each client's size, as a deployment with registered sizes would. */
        @Override
        public java.util.OptionalLong registeredExamples() {
            return java.util.OptionalLong.of(examples[id]);
        }

        @Override
        public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions ins) {
            if (dropAfterSharing.contains(id)) {
                return CompletableFuture.failedFuture(new IllegalStateException("client " + id + " went offline"));
            }
            Map<String, INDArray> p = new LinkedHashMap<>();
            p.put("a", Nd4j.createFromArray(deltas.get(id)[0].clone()));
            p.put("b", Nd4j.createFromArray(deltas.get(id)[1].clone()));
            return CompletableFuture.completedFuture(new ClientUpdate(id, ins.round(), examples[id], ins.payloadKind(),
                    p, Map.of("loss", 1.0 + id)));
        }

        @Override
        public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions ins) {
            return CompletableFuture.completedFuture(Map.of());
        }
    }
}
