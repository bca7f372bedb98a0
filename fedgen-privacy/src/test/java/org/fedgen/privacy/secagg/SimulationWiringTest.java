package org.fedgen.privacy.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Secure aggregation through the simulation's client layer: the same bits for one and two workers (the masks differ
 * from run to run, the unmasked sum does not), and the plain run's result up to the quantisation bound.
 */
class SimulationWiringTest {
    private static final int DIM = 8;

    /** w ← w + ½(mean of the client's rows − w): a one-step model whose update is easy to follow. */
    private static final class HalfwayToMean implements TrainableModel {
        private INDArray w = Nd4j.zeros(DataType.FLOAT, DIM);

        @Override
        public ModelState initialize(long seed) {
            w = Nd4j.zeros(DataType.FLOAT, DIM);
            return state();
        }

        @Override
        public ModelState state() {
            return ModelState.of(0, Map.of("w", w.dup()));
        }

        @Override
        public void load(ModelState state) {
            w = state.part("w").dup();
        }

        @Override
        public Map<String, Double> fit(Dataset data, FitInstructions instructions, ModelState anchor) {
            INDArray mean = data.features().mean(0).castTo(DataType.FLOAT).reshape(DIM);
            w.addi(mean.sub(w).muli(0.5f));
            return Map.of("loss", 1.0);
        }

        @Override
        public Map<String, INDArray> gradient(Dataset data, FitInstructions instructions) {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public Map<String, Double> evaluate(Dataset data, long seed) {
            return Map.of();
        }
    }

    private static List<Dataset> shards() {
        List<Dataset> s = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            int n = 3 + k;
            float[][] rows = new float[n][DIM];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < DIM; j++) {
                    rows[i][j] = (float) Math.sin(1 + k * 31 + i * 7 + j);
                }
            }
            s.add(new Dataset(Nd4j.createFromArray(rows), new int[n], new int[] {DIM}));
        }
        return s;
    }

    private static ModelState run(int workers, boolean secure) {
        SecAggConfig config = new SecAggConfig(3, 16, 1.0, 0, 0, 7);
        Simulation.Builder b = Simulation.builder().model(HalfwayToMean::new).clientData(shards()).workers(workers)
                .rounds(3).seed(5).fitInstructions(FitInstructions.builder().localSteps(1).batchSize(1).build());
        if (secure) {
            SecureAggregation sa = SecureAggregation.of(config, new FedAvg(), 5, 5);
            b.aggregator(sa.aggregator()).clientLayer(sa.clientLayer());
        } else {
            b.aggregator(new FedAvg());
        }
        try (Simulation sim = b.build()) {
            return sim.run();
        }
    }

    @Test
    void oneAndTwoWorkersGiveTheSameBitsAndThePlainResultWithinTheBound() {
        ModelState one = run(1, true);
        ModelState two = run(2, true);
        assertTrue(one.bitEquals(two), "secure aggregation must not depend on the worker count");
        assertEquals(3, one.round());
        float[] plain = run(1, false).part("w").toFloatVector();
        float[] secure = one.part("w").toFloatVector();
        // Each round adds at most n/(2s)/W of quantisation error to the mean, W = Σ min(n_k, 7)/7 = 25/7 for shards
        // of 3..7 examples (the cap 7 makes the weights FedAvg's n_k/n); a past error is only halved by the next
        // round's pull towards the means, so three rounds' worth bounds it, plus float32 rounding.
        double bound = 3 * 5 / (2 * 32767.0) / (25 / 7.0) + 1e-6;
        for (int j = 0; j < DIM; j++) {
            assertEquals(plain[j], secure[j], bound, "coordinate " + j);
        }
    }
}
