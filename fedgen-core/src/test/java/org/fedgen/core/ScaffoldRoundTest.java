package org.fedgen.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.fedgen.core.aggregate.Scaffold;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SCAFFOLD rounds worked by hand: two clients with one example each, targets t_A = (4, 0) and t_B = (0, 8), loss
 * ½‖w − t‖² (gradient w − t), two plain-SGD local steps with η_l = 0.5, η_g = 1, from x = (0, 0). Every value is a
 * dyadic fraction, so float32 holds them exactly.
 */
class ScaffoldRoundTest {
    private static final FitInstructions FIT = FitInstructions.builder().localSteps(2).learningRate(0.5).build();

    /** ½‖w − t‖² with t the first example; plain SGD; applies SCAFFOLD's correction when given one. */
    static final class PullModel implements TrainableModel {
        private final INDArray w = Nd4j.zeros(DataType.FLOAT, 2);

        @Override
        public ModelState initialize(long seed) {
            w.assign(0);
            return state();
        }

        @Override
        public ModelState state() {
            return ModelState.builder(0).part("w", w.dup()).build();
        }

        @Override
        public void load(ModelState state) {
            w.assign(state.part("w"));
        }

        @Override
        public Map<String, Double> fit(Dataset data, FitInstructions ins, ModelState anchor) {
            return fit(data, ins, anchor, null);
        }

        @Override
        public Map<String, Double> fit(Dataset data, FitInstructions ins, ModelState anchor,
                DriftCorrection correction) {
            INDArray t = data.features().getRow(0).dup();
            for (int s = 0; s < ins.localSteps(); s++) {
                INDArray g = w.sub(t);
                if (correction != null) {
                    correction.correct("w", g);
                }
                w.subi(g.muli(ins.learningRate()));
            }
            return Map.of("loss", 0.0, "steps", (double) ins.localSteps());
        }

        @Override
        public Map<String, INDArray> gradient(Dataset data, FitInstructions ins) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Double> evaluate(Dataset data, long seed) {
            return Map.of("numExamples", (double) data.size());
        }
    }

    private static Dataset target(float... t) {
        return Dataset.unlabelled(Nd4j.createFromArray(t).reshape(1, t.length));
    }

    private static final List<Dataset> CLIENTS = List.of(target(4, 0), target(0, 8));

    /** Records a copy of every update the server receives, after {@code tamper} (identity: none). */
    private static UnaryOperator<ClientProxy> recording(List<ClientUpdate> seen, UnaryOperator<ClientUpdate> tamper) {
        return p -> new ClientProxy() {
            @Override
            public int clientId() {
                return p.clientId();
            }

            @Override
            public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions ins) {
                return p.fit(global, ins).thenApply(u -> {
                    ClientUpdate t = tamper.apply(u);
                    // a copy: the server frees the payload's buffers after the round
                    Map<String, INDArray> copy = new LinkedHashMap<>();
                    t.parts().forEach((k, a) -> copy.put(k, a.dup()));
                    synchronized (seen) {
                        seen.add(t.withParts(t.kind(), copy));
                    }
                    return t;
                });
            }

            @Override
            public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions ins) {
                return p.evaluate(global, ins);
            }
        };
    }

    private static Simulation.Builder simulation(Scaffold scaffold, List<ClientUpdate> seen,
            UnaryOperator<ClientUpdate> tamper) {
        return Simulation.builder().model(PullModel::new).clientData(CLIENTS).aggregator(scaffold).rounds(2).seed(7)
                .fitInstructions(FIT).initialState(ModelState.builder(0).part("w", Nd4j.zeros(DataType.FLOAT, 2))
                        .build()).clientLayer(recording(seen, tamper));
    }

    private static float[] v(Map<String, INDArray> m, String key) {
        return m.get(key).toFloatVector();
    }

    private static float[] part(ClientUpdate u, String name) {
        return u.part(name).toFloatVector();
    }

    private static final String CONTROL = ControlParts.of("w");

    @Test
    void twoHandWorkedRoundsMatchTheirExpectedValues() {
        Scaffold scaffold = new Scaffold(1.0);
        List<ClientUpdate> seen = new ArrayList<>();
        try (Simulation sim = simulation(scaffold, seen, UnaryOperator.identity()).build()) {
            RoundResult r1 = sim.server().runRound(1);
            // Round 1, c = c_A = c_B = 0. A: g = (−4, 0), y = (2, 0); g = (−2, 0), y = (3, 0); c_A⁺ = mean g = (−3, 0)
            // (option II: 0 − 0 + (x − y)/(K η_l) = −(3, 0)/1). B likewise: y = (0, 4), (0, 6); c_B⁺ = (0, −6).
            assertArrayEquals(new float[] {3, 0}, part(seen.get(0), "w"));
            assertArrayEquals(new float[] {-3, 0}, part(seen.get(0), CONTROL));
            assertArrayEquals(new float[] {0, 6}, part(seen.get(1), "w"));
            assertArrayEquals(new float[] {0, -6}, part(seen.get(1), CONTROL));
            // x = 0 + mean Δy = (1.5, 3); c = 0 + (2/2)·mean Δc = (−1.5, −3)
            assertArrayEquals(new float[] {1.5f, 3}, r1.global().part("w").toFloatVector());
            assertArrayEquals(new float[] {-1.5f, -3}, scaffold.control().get("w").toFloatVector());
            assertEquals(Math.sqrt(1.5 * 1.5 + 9), r1.metrics().get(Scaffold.METRIC), 1e-12);
            // 2 floats of model and 2 of control down per client
            assertEquals(2 * 16.0, r1.metrics().get("bytes_down"));
            assertEquals(2 * 16.0, r1.metrics().get("bytes_up"));

            sim.server().runRound(2);
            // Round 2 from x = (1.5, 3). A: c − c_A = (1.5, −3). g = (−2.5, 3) → corrected (−1, 0), y = (2, 3);
            // g = (−2, 3) → (−0.5, 0), y = (2.25, 3). c_A⁺ = mean g = (−2.25, 3) (option II: (−3, 0) − (−1.5, −3)
            // + (1.5 − 2.25, 0)/1 = (−2.25, 3)); Δy_A = (0.75, 0), Δc_A = (0.75, 3).
            assertArrayEquals(new float[] {0.75f, 0}, part(seen.get(2), "w"));
            assertArrayEquals(new float[] {0.75f, 3}, part(seen.get(2), CONTROL));
            // B: c − c_B = (−1.5, 3). g = (1.5, −5) → (0, −2), y = (1.5, 4); g = (1.5, −4) → (0, −1), y = (1.5, 4.5).
            // c_B⁺ = (1.5, −4.5); Δy_B = (0, 1.5), Δc_B = (1.5, 1.5).
            assertArrayEquals(new float[] {0, 1.5f}, part(seen.get(3), "w"));
            assertArrayEquals(new float[] {1.5f, 1.5f}, part(seen.get(3), CONTROL));
            // x = (1.5, 3) + (0.375, 0.75) = (1.875, 3.75); c = (−1.5, −3) + (1.125, 2.25) = (−0.375, −0.75)
            assertArrayEquals(new float[] {1.875f, 3.75f}, sim.server().global().part("w").toFloatVector());
            assertArrayEquals(new float[] {-0.375f, -0.75f}, scaffold.control().get("w").toFloatVector());
            // The clients keep c_i⁺ as client state, which the simulation's checkpoint holds.
            Map<String, INDArray> state = sim.state();
            assertArrayEquals(new float[] {-2.25f, 3}, v(state, "run.client/0/" + CONTROL));
            assertArrayEquals(new float[] {1.5f, -4.5f}, v(state, "run.client/1/" + CONTROL));
            assertArrayEquals(new float[] {-0.375f, -0.75f}, v(state, Scaffold.STATE_PREFIX + "w"));
        }
    }

    @Test
    void aRunResumedFromTheStateOfRoundOneEndsBitIdentical() {
        Map<String, INDArray> checkpoint;
        ModelState afterOne;
        ModelState straight;
        try (Simulation sim = simulation(new Scaffold(1.0), new ArrayList<>(), UnaryOperator.identity()).build()) {
            afterOne = sim.server().runRound(1).global();
            checkpoint = sim.state();
            straight = sim.server().runRound(2).global();
        }
        try (Simulation resumed = simulation(new Scaffold(1.0), new ArrayList<>(), UnaryOperator.identity())
                .initialState(afterOne).build()) {
            resumed.restoreState(checkpoint);
            assertTrue(straight.bitEquals(resumed.run()));
        }
        // Without the clients' controls the second round differs: they are state the run cannot do without.
        Map<String, INDArray> serverOnly = new LinkedHashMap<>(checkpoint);
        serverOnly.keySet().removeIf(k -> k.startsWith("run.client/"));
        try (Simulation forgetful = simulation(new Scaffold(1.0), new ArrayList<>(), UnaryOperator.identity())
                .initialState(afterOne).build()) {
            forgetful.restoreState(serverOnly);
            assertTrue(!straight.bitEquals(forgetful.run()));
        }
    }

    @Test
    void anUpdateWithANonFiniteControlChangeIsRejectedAndCounted() {
        Scaffold scaffold = new Scaffold(1.0);
        UnaryOperator<ClientUpdate> poisonB = u -> {
            if (u.clientId() != 1) {
                return u;
            }
            Map<String, INDArray> p = new LinkedHashMap<>(u.parts());
            p.put(CONTROL, Nd4j.createFromArray(Float.NaN, 0f));
            return u.withParts(u.kind(), p);
        };
        try (Simulation sim = simulation(scaffold, new ArrayList<>(), poisonB).build()) {
            RoundResult r = sim.server().runRound(1);
            assertEquals(1.0, r.metrics().get("rejected"));
            assertTrue(r.rejections().get(1).contains("NaN"), r.rejections().toString());
            // only A counts: x = (3, 0); c = 0 + (1/2)·(−3, 0)
            assertArrayEquals(new float[] {3, 0}, r.global().part("w").toFloatVector());
            assertArrayEquals(new float[] {-1.5f, 0}, scaffold.control().get("w").toFloatVector());
        }
    }

    @Test
    void anUpdateWithoutItsControlChangeOrWithTheWrongLengthIsRejected() {
        ModelState global = ModelState.builder(1).part("w", Nd4j.zeros(DataType.FLOAT, 2)).build();
        FitInstructions ins = new Scaffold(1.0).configureFit(FIT.toBuilder().round(1).build(), global);
        Map<String, INDArray> good = new LinkedHashMap<>();
        good.put("w", Nd4j.createFromArray(1f, 2f));
        good.put(CONTROL, Nd4j.createFromArray(3f, 4f));
        assertEquals(null, UpdateValidator.rejectionReason(new ClientUpdate(0, 1, 1, PayloadKind.DELTA, good,
                Map.of()), 0, 1, global, ins));
        Map<String, INDArray> missing = Map.of("w", Nd4j.createFromArray(1f, 2f));
        assertEquals("parts [w], expected [w, scaffold.control/w]", UpdateValidator.rejectionReason(
                new ClientUpdate(0, 1, 1, PayloadKind.DELTA, missing, Map.of()), 0, 1, global, ins));
        Map<String, INDArray> shortControl = new LinkedHashMap<>(good);
        shortControl.put(CONTROL, Nd4j.createFromArray(3f));
        assertEquals("part 'scaffold.control/w' has length 1, expected 2", UpdateValidator.rejectionReason(
                new ClientUpdate(0, 1, 1, PayloadKind.DELTA, shortControl, Map.of()), 0, 1, global, ins));
    }

    @Test
    void aModelThatCannotCorrectItsGradientsFailsTheClient() throws Exception {
        TrainableModel plain = new LinearModel(2);
        DriftCorrection c = new DriftCorrection(Map.of("w", Nd4j.zeros(DataType.FLOAT, 2)), Map.of());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> plain.fit(CLIENTS.get(0), FIT, null, c));
        assertEquals("LinearModel cannot apply SCAFFOLD's drift correction to its local gradients", e.getMessage());
    }
}
