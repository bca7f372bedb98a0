package org.fedgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.FedSgd;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.sim.ModelClient;
import org.fedgen.core.util.Vectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class StreamingAggregationTest {
    private static final int DIM = 4;
    private static final int CLIENTS = 12;
    private static final FitInstructions FIT = FitInstructions.builder().localSteps(3).batchSize(4)
            .learningRate(0.1).build();

    /** What every update the clients produced looked like when it was made, to count how many were alive at once. */
    private static final class Liveness {
        private final List<ClientUpdate> made = new ArrayList<>();
        private int maxAlive;

        synchronized void made(ClientUpdate u) {
            made.add(u);
            int alive = 0;
            for (ClientUpdate m : made) {
                if (!m.part("w").wasClosed()) {
                    alive++;
                }
            }
            maxAlive = Math.max(maxAlive, alive);
        }
    }

    /**
     * Client {@code id} trains honestly after a random pause (so updates arrive in a random order), except that
     * client 3 sends NaN and client 5 fails: the reorder buffer must skip dropped ids.
     */
    private static List<ClientProxy> clients(List<Dataset> data, ExecutorService exec, long arrivalSeed,
            Liveness liveness) {
        List<ClientProxy> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            int id = i;
            ModelClient honest = new ModelClient(id, new LinearModel(DIM), data.get(i), null, null, Set.of());
            out.add(new ClientProxy() {
                @Override
                public int clientId() {
                    return id;
                }

                @Override
                public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions ins) {
                    long pause = new SplittableRandom(arrivalSeed * 1000 + ins.round() * 100 + id).nextLong(8);
                    return CompletableFuture.supplyAsync(() -> {
                        sleep(pause);
                        if (id == 5) {
                            throw new IllegalStateException("client 5 crashed");
                        }
                        ClientUpdate u = honest.fit(global, ins);
                        if (id == 3) {
                            u.part("w").putScalar(0, Float.NaN);
                        }
                        liveness.made(u);
                        return u;
                    }, exec);
                }

                @Override
                public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions ins) {
                    return CompletableFuture.completedFuture(Map.of());
                }
            });
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A rule that needs every update at once (it is not a StreamingAggregator): the coordinate-wise maximum. */
    private static final Aggregator MAXIMUM = (global, updates, context) -> {
        if (updates.isEmpty()) {
            return global;
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String part : global.partNames()) {
            INDArray m = updates.get(0).part(part).dup();
            for (ClientUpdate u : updates) {
                org.nd4j.linalg.factory.Nd4j.getExecutioner().exec(
                        new org.nd4j.linalg.api.ops.impl.transforms.custom.Max(m, u.part(part), m));
            }
            out.put(part, m);
        }
        return ModelState.of(global.round(), out);
    };

    private static ModelState run(Supplier<Aggregator> aggregator, int workers, int window, long arrivalSeed,
            Liveness liveness, int perRound) {
        List<Dataset> data = TestData.shards(CLIENTS, DIM, 17);
        ExecutorService exec = Executors.newFixedThreadPool(workers);
        try {
            Server s = Server.builder().initialState(new LinearModel(DIM).initialize(7))
                    .clients(clients(data, exec, arrivalSeed, liveness)).aggregator(aggregator.get())
                    .sampler(FixedSizeSampler.count(perRound)).rounds(2).seed(5).fitInstructions(FIT)
                    .streamingWindow(window).build();
            ModelState last = s.run();
            RoundResult r = s.history().get(s.history().size() - 1);
            assertEquals(perRound, r.metric("sampled"));
            return last;
        } finally {
            exec.shutdownNow();
        }
    }

    private static void assertStreamedEqualsBuffered(Supplier<StreamingAggregator> rule) {
        // Window 0: the server buffers the round's updates and calls aggregate, the buffered implementation.
        ModelState reference = run(rule::get, 1, 0, 0, new Liveness(), 10);
        for (int workers = 1; workers <= 2; workers++) {
            for (long arrival = 1; arrival <= 2; arrival++) {
                for (int window : new int[] {1, 2 * workers, CLIENTS}) {
                    ModelState streamed = run(rule::get, workers, window, arrival, new Liveness(), 10);
                    assertTrue(streamed.bitEquals(reference), "W=" + workers + ", arrival order " + arrival
                            + ", window " + window + ": streamed result differs from the buffered run");
                }
            }
        }
        assertTrue(Vectors.allFinite(reference.part("w")));
    }

    @Test
    void streamedFedAvgEqualsTheBufferedRunBitForBitForOneAndTwoWorkersAndRandomArrivalOrders() {
        assertStreamedEqualsBuffered(FedAvg::new);
    }

    @Test
    void streamedServerOptimizerAndMixedPartPolicyEqualTheBufferedRunBitForBit() {
        assertStreamedEqualsBuffered(() -> ServerOptimizer.fedAdam(FedAvg.uniform(), 0.1, 0.9, 0.99, 1e-3));
        // "b" goes to a rule that needs all updates: the policy buffers that route and must not release early.
        assertStreamedEqualsBuffered(() -> PartPolicy.builder().route(MAXIMUM, "b").otherwise(new FedAvg()).build());
    }

    @Test
    void aStreamedSimulationEqualsTheBufferedSimulationForOneAndTwoWorkers() {
        List<Dataset> data = TestData.shards(8, DIM, 9);
        ModelState reference = simulate(data, new FedAvg(), 1, 0);
        assertTrue(simulate(data, new FedAvg(), 2, 0).bitEquals(reference), "buffered W=2");
        assertTrue(simulate(data, new FedSgd(0.5), 2, 4).bitEquals(simulate(data, new FedSgd(0.5), 1, 0)), "FedSgd");
        for (int workers = 1; workers <= 2; workers++) {
            assertTrue(simulate(data, new FedAvg(), workers, 2 * workers).bitEquals(reference), "W=" + workers);
        }
    }

    private static ModelState simulate(List<Dataset> data, Aggregator aggregator, int workers, int window) {
        try (org.fedgen.core.sim.Simulation sim = org.fedgen.core.sim.Simulation.builder()
                .model(() -> new LinearModel(DIM)).clientData(data).workers(workers).aggregator(aggregator)
                .sampler(FixedSizeSampler.count(6)).rounds(3).seed(123).fitInstructions(FIT).streamingWindow(window)
                .build()) {
            return sim.run();
        }
    }

    @Test
    void aStreamedRoundHoldsAtMostWindowUpdatesWhileTheBufferedOneHoldsAllOfThem() {
        Liveness streaming = new Liveness();
        run(FedAvg::new, 2, 2, 1, streaming, CLIENTS);
        Liveness buffering = new Liveness();
        run(FedAvg::new, 2, 0, 1, buffering, CLIENTS);
        // 12 sampled, client 5 fails before producing an update: 11 updates per round.
        assertEquals(CLIENTS - 1, buffering.maxAlive);
        assertTrue(streaming.maxAlive <= 2, "streamed round held " + streaming.maxAlive + " updates at once");
    }

    @Test
    void aNonStreamingRuleIsBufferedAndGivesExactlyItsOwnAggregate() {
        PartPolicy mixed = PartPolicy.builder().route(MAXIMUM, "b").otherwise(new FedAvg()).build();
        assertFalse(mixed.streams());
        assertFalse(StreamingAggregator.of(MAXIMUM).streams());
        ModelState viaAggregate = run(() -> MAXIMUM, 2, 0, 2, new Liveness(), 10);
        ModelState viaStreamingServer = run(() -> MAXIMUM, 2, 3, 2, new Liveness(), 10);
        assertTrue(viaStreamingServer.bitEquals(viaAggregate));
    }
}
