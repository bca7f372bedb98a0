package org.fedgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.ModelClient;
import org.fedgen.core.sim.Simulation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The server stops a run that cannot make progress, and blames an aggregator that returns NaN on the aggregator. */
class ServerFailFastTest {
    private static final int DIM = 4;
    private static final ExecutorService EXEC = Executors.newFixedThreadPool(2);
    private static final FitInstructions FIT = FitInstructions.builder().localSteps(2).batchSize(4)
            .learningRate(0.1).build();

    @AfterAll
    static void shutdown() {
        EXEC.shutdownNow();
    }

    /** A client whose fit fails in the rounds {@code failing} says (by round number). */
    private static ClientProxy failingIn(int id, java.util.function.LongPredicate failing, Dataset data) {
        InProcessClientProxy honest = new InProcessClientProxy(new ModelClient(id, new LinearModel(DIM), data, null,
                null, Set.of()), EXEC);
        return new ClientProxy() {
            @Override
            public int clientId() {
                return id;
            }

            @Override
            public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
                return failing.test(instructions.round())
                        ? CompletableFuture.failedFuture(new IllegalStateException("broken in round "
                                + instructions.round()))
                        : honest.fit(global, instructions);
            }

            @Override
            public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions ins) {
                return honest.evaluate(global, ins);
            }
        };
    }

    private static Server.Builder server(List<ClientProxy> clients, int rounds) {
        return Server.builder().initialState(new LinearModel(DIM).initialize(7)).clients(clients)
                .aggregator(new FedAvg()).rounds(rounds).seed(11).fitInstructions(FIT);
    }

    private static List<ClientProxy> clients(java.util.function.LongPredicate failing) {
        List<Dataset> data = TestData.shards(2, DIM, 3);
        List<ClientProxy> cs = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            cs.add(failingIn(i, failing, data.get(i)));
        }
        return cs;
    }

    @Test
    void everyClientFailingForThreeRoundsStopsTheRunAtTheThirdSayingWhy() {
        List<Long> seen = new ArrayList<>();
        long[] endedAt = {-1};
        RoundListener l = new RoundListener() {
            @Override
            public void onRoundEnd(RoundResult r) {
                seen.add(r.round());
            }

            @Override
            public void onRunEnd(ModelState s) {
                endedAt[0] = s.round();
            }
        };
        Server s = server(clients(r -> true), 10).listener(l).build();
        RunFailedException e = assertThrows(RunFailedException.class, s::run);
        assertTrue(e.getMessage().startsWith("round 3: every sampled client failed or was rejected in 3 consecutive "
                + "rounds"), e.getMessage());
        assertTrue(e.getMessage().contains("client 0 failed: java.lang.IllegalStateException: broken in round 3"),
                e.getMessage());
        assertEquals(List.of(1L, 2L), seen);
        assertEquals(2, endedAt[0], "listeners still see the end of the run, at the last completed round");
    }

    @Test
    void aRoundWithAnAcceptedUpdateResetsTheCount() {
        // fails in rounds 1, 2, 4, 5, 7, 8: never three in a row
        Server s = server(clients(r -> r % 3 != 0), 8).build();
        s.run();
        assertEquals(8, s.global().round());
        Server strict = server(clients(r -> r % 3 != 0), 8).maxFailedRounds(2).build();
        RunFailedException e = assertThrows(RunFailedException.class, strict::run);
        assertTrue(e.getMessage().startsWith("round 2: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Server.builder().maxFailedRounds(0));
    }

    @Test
    void dataOfTheWrongWidthAreRefusedWhenTheSimulationIsBuilt() {
        List<Dataset> data = new ArrayList<>(TestData.shards(2, DIM, 3));
        data.add(TestData.shards(1, DIM + 2, 3).get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Simulation.builder()
                .model(() -> new LinearModel(DIM)).clientData(data).aggregator(new FedAvg()).build());
        assertEquals("client 2's data have 6 features per example, but the model takes 4", e.getMessage());
    }

    @Test
    void nonFiniteAggregateIsBlamedOnTheAggregator() {
        Aggregator broken = new Aggregator() {
            @Override
            public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext ctx) {
                ModelState next = global.copy();
                INDArray w = next.part("w");
                w.putScalar(2, Float.POSITIVE_INFINITY);
                return next;
            }

            @Override
            public String toString() {
                return "Broken";
            }
        };
        Server s = Server.builder().initialState(new LinearModel(DIM).initialize(7)).clients(clients(r -> false))
                .aggregator(broken).rounds(2).seed(11).fitInstructions(FIT).build();
        RunFailedException e = assertThrows(RunFailedException.class, s::run);
        assertEquals("round 1: aggregator Broken returned NaN or infinite values in part 'w' (the accepted client "
                + "updates were all finite)", e.getMessage());
    }
}
