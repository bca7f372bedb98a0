package org.fedgen.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.FedSgd;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.sim.ModelClient;
import org.fedgen.core.sim.Simulation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ServerTest {
    private static final int DIM = 4;
    private static final ExecutorService EXEC = Executors.newFixedThreadPool(2);
    private static final FitInstructions FIT = FitInstructions.builder().localSteps(5).batchSize(4)
            .learningRate(0.1).build();

    @AfterAll
    static void shutdown() {
        EXEC.shutdownNow();
    }

    private static ModelState init() {
        return new LinearModel(DIM).initialize(7);
    }

    private static List<ClientProxy> goodClients(List<Dataset> data) {
        List<ClientProxy> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            out.add(new InProcessClientProxy(new ModelClient(i, new LinearModel(DIM), data.get(i), null, null,
                    Set.of()), EXEC));
        }
        return out;
    }

    /** A client whose update is spoiled by {@code spoil}: the kind of bug or attack the server must withstand. */
    private static ClientProxy spoiled(int id, Dataset data, UnaryOperator<ClientUpdate> spoil) {
        ModelClient honest = new ModelClient(id, new LinearModel(DIM), data, null, null, Set.of());
        Client bad = new Client() {
            @Override
            public int id() {
                return id;
            }

            @Override
            public long numExamples() {
                return data.size();
            }

            @Override
            public ClientUpdate fit(ModelState global, FitInstructions instructions) {
                return spoil.apply(honest.fit(global, instructions));
            }

            @Override
            public Map<String, Double> evaluate(ModelState global, EvalInstructions instructions) {
                return Map.of();
            }
        };
        return new InProcessClientProxy(bad, EXEC);
    }

    private static Server server(List<ClientProxy> clients, int rounds) {
        return Server.builder().initialState(init()).clients(clients).aggregator(new FedAvg()).rounds(rounds)
                .seed(11).fitInstructions(FIT).build();
    }

    private static ClientUpdate withNaN(ClientUpdate u) {
        Map<String, INDArray> p = new LinkedHashMap<>(u.parts());
        INDArray w = p.get("w").dup();
        w.putScalar(1, Float.NaN);
        p.put("w", w);
        return u.withParts(u.kind(), p);
    }

    @Test
    void aFailedAggregationKeepsTheGlobalStateCountsTheRoundAndTheRunGoesOn() {
        List<Dataset> data = TestData.shards(3, DIM, 4);
        List<List<Integer>> told = new ArrayList<>();
        Aggregator failsFirst = new Aggregator() {
            private final FedAvg fedAvg = new FedAvg();

            @Override
            public FitInstructions configureRound(FitInstructions ins, ModelState global, List<Integer> sampled) {
                told.add(sampled);
                return ins;
            }

            @Override
            public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
                if (context.round() == 1) {
                    throw new AggregationFailedException("too few survivors");
                }
                return fedAvg.aggregate(global, updates, context);
            }
        };
        Server s = Server.builder().initialState(init()).clients(goodClients(data)).aggregator(failsFirst).rounds(2)
                .seed(11).fitInstructions(FIT).build();
        s.runRound(1);
        assertTrue(s.global().bitEquals(init().withRound(1)), "a failed round must not change the model");
        assertEquals(1.0, s.history().get(0).metric("aggregation_failed"));
        s.runRound(2);
        assertFalse(s.global().bitEquals(init().withRound(2)));
        assertFalse(s.history().get(1).metrics().containsKey("aggregation_failed"));
        assertEquals(List.of(List.of(0, 1, 2), List.of(0, 1, 2)), told);
    }

    @Test
    void nanUpdateIsRejectedCountedAndTheRoundEqualsTheRoundWithoutThatClient() {
        List<Dataset> data = TestData.shards(4, DIM, 3);
        List<ClientProxy> withBad = new ArrayList<>(goodClients(data.subList(0, 3)));
        withBad.add(spoiled(3, data.get(3), ServerTest::withNaN));
        Server a = server(withBad, 1);
        a.run();
        Server b = server(goodClients(data.subList(0, 3)), 1);
        b.run();
        RoundResult r = a.history().get(0);
        assertEquals(1.0, r.metric("rejected"));
        assertEquals(3.0, r.metric("accepted"));
        assertTrue(r.rejections().get(3).contains("NaN"), r.rejections().toString());
        assertTrue(a.global().bitEquals(b.global()), "round result must equal the round without client 3");
        assertTrue(Vectorsx.allFinite(a.global()));
    }

    @Test
    void wrongRoundWrongLengthAndWrongPartsAreRejectedWithReasons() {
        List<Dataset> data = TestData.shards(4, DIM, 5);
        List<ClientProxy> cs = new ArrayList<>(goodClients(data.subList(0, 1)));
        cs.add(spoiled(1, data.get(1), u -> new ClientUpdate(u.clientId(), u.round() + 1, u.numExamples(), u.kind(),
                u.parts(), u.metrics())));
        cs.add(spoiled(2, data.get(2), u -> u.withParts(u.kind(), Map.of("w", Nd4j.zeros(DIM + 1),
                "b", Nd4j.zeros(1)))));
        cs.add(spoiled(3, data.get(3), u -> u.withParts(u.kind(), Map.of("w", u.part("w")))));
        Server s = server(cs, 1);
        s.run();
        RoundResult r = s.history().get(0);
        assertEquals(3.0, r.metric("rejected"));
        assertEquals(1.0, r.metric("accepted"));
        assertTrue(r.rejections().get(1).contains("round 2"), r.rejections().get(1));
        assertTrue(r.rejections().get(2).contains("length"), r.rejections().get(2));
        assertTrue(r.rejections().get(3).contains("parts"), r.rejections().get(3));
        Server only0 = server(goodClients(data.subList(0, 1)), 1);
        only0.run();
        assertTrue(s.global().bitEquals(only0.global()));
    }

    @Test
    void lateClientsAreDroppedAtTheDeadline() {
        List<Dataset> data = TestData.shards(2, DIM, 5);
        List<ClientProxy> cs = new ArrayList<>(goodClients(data.subList(0, 1)));
        cs.add(spoiled(1, data.get(1), u -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return u;
        }));
        Server s = Server.builder().initialState(init()).clients(cs).aggregator(new FedAvg()).rounds(1).seed(11)
                .fitInstructions(FIT).roundTimeout(Duration.ofMillis(500)).build();
        s.run();
        RoundResult r = s.history().get(0);
        assertEquals(1.0, r.metric("timed_out"));
        assertEquals(1.0, r.metric("accepted"));
    }

    @Test
    void sameSeedGivesBitIdenticalResultsForOneAndTwoWorkers() {
        List<Dataset> data = TestData.shards(6, DIM, 9);
        ModelState[] finals = new ModelState[2];
        for (int w = 1; w <= 2; w++) {
            try (Simulation sim = Simulation.builder().model(() -> new LinearModel(DIM)).clientData(data).workers(w)
                    .aggregator(new FedAvg()).sampler(FixedSizeSampler.count(4)).rounds(4).seed(123)
                    .fitInstructions(FIT).build()) {
                finals[w - 1] = sim.run();
            }
        }
        assertTrue(finals[0].bitEquals(finals[1]), "W=1 and W=2 must agree bit for bit");
        assertEquals(4, finals[0].round());
        try (Simulation other = Simulation.builder().model(() -> new LinearModel(DIM)).clientData(data).workers(2)
                .aggregator(new FedAvg()).sampler(FixedSizeSampler.count(4)).rounds(4).seed(124)
                .fitInstructions(FIT).build()) {
            assertFalse(finals[0].bitEquals(other.run()), "another seed must give another result");
        }
    }

    @Test
    void fedSgdWithOneClientEqualsOneCentralizedFullBatchStep() {
        Dataset d = TestData.shards(3, DIM, 21).get(2);
        ModelState w0 = init();
        double lr = 0.3;
        try (Simulation sim = Simulation.builder().model(() -> new LinearModel(DIM)).clientData(List.of(d))
                .aggregator(new FedSgd(lr)).rounds(1).seed(1).initialState(w0).build()) {
            ModelState out = sim.run();
            Map<String, INDArray> g = LinearModel.gradientAt(w0.part("w"), w0.part("b"), d.features(),
                    LinearModel.targets(d));
            assertArrayEquals(w0.part("w").sub(g.get("w").mul(lr)).toFloatVector(), out.part("w").toFloatVector(),
                    1e-6f);
            assertArrayEquals(w0.part("b").sub(g.get("b").mul(lr)).toFloatVector(), out.part("b").toFloatVector(),
                    1e-6f);
        }
    }

    @Test
    void fedSgdOverAllClientsEqualsTheFullBatchStepOnThePooledData() {
        List<Dataset> data = TestData.shards(3, DIM, 22);
        ModelState w0 = init();
        double lr = 0.3;
        INDArray pooled = Nd4j.vstack(data.get(0).features(), data.get(1).features(), data.get(2).features());
        INDArray y = Nd4j.concat(0, LinearModel.targets(data.get(0)), LinearModel.targets(data.get(1)),
                LinearModel.targets(data.get(2)));
        Map<String, INDArray> g = LinearModel.gradientAt(w0.part("w"), w0.part("b"), pooled, y);
        try (Simulation sim = Simulation.builder().model(() -> new LinearModel(DIM)).clientData(data).workers(2)
                .aggregator(new FedSgd(lr)).rounds(1).seed(1).initialState(w0).build()) {
            ModelState out = sim.run();
            assertArrayEquals(w0.part("w").sub(g.get("w").mul(lr)).toFloatVector(), out.part("w").toFloatVector(),
                    1e-5f);
        }
    }

    @Test
    void metricsCountBytesAndExamples() {
        List<Dataset> data = TestData.shards(3, DIM, 5);
        Server s = server(goodClients(data), 2);
        s.run();
        RoundResult r = s.history().get(1);
        long stateBytes = (DIM + 1) * 4L;
        assertEquals(3 * stateBytes, r.metric("bytes_down"));
        assertEquals(3 * stateBytes, r.metric("bytes_up"));
        assertEquals(5 + 8 + 11, r.metric("examples"));
        assertEquals(2.0, r.metric("round"));
        assertTrue(Double.isFinite(r.metric("client_loss")));
    }

    @Test
    void listenerCanStopTheRunBeforeARound() {
        List<Dataset> data = TestData.shards(2, DIM, 5);
        List<Long> seen = new ArrayList<>();
        Server s = Server.builder().initialState(init()).clients(goodClients(data)).aggregator(new FedAvg())
                .rounds(5).fitInstructions(FIT).listener(new RoundListener() {
                    @Override
                    public boolean beforeRound(long round) {
                        return round <= 3;
                    }

                    @Override
                    public void onRoundEnd(RoundResult result) {
                        seen.add(result.round());
                    }
                }).build();
        assertEquals(3, s.run().round());
        assertEquals(List.of(1L, 2L, 3L), seen);
    }

    /** Finite-check over a whole state. */
    static final class Vectorsx {
        static boolean allFinite(ModelState s) {
            for (INDArray v : s.parts().values()) {
                if (!org.fedgen.core.util.Vectors.allFinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }
}
