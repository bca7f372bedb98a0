package org.fedgen.privacy;

import static org.fedgen.privacy.Fixtures.context;
import static org.fedgen.privacy.Fixtures.state;
import static org.fedgen.privacy.Fixtures.update;
import static org.fedgen.privacy.Fixtures.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DP-FedAvg folded one update at a time gives the bits of the buffered rule, in the aggregator and in a run. */
class DpFedAvgStreamingTest {

    private static List<ClientUpdate> updates() {
        // Norms 5, 0.5 and 13 against S = 1: the first and last are clipped, the middle one is not.
        return List.of(update(2, 10, PayloadKind.DELTA, "a", vec(3f, 4f), "b", vec(0f)),
                update(5, 20, PayloadKind.WEIGHTS, "a", vec(1.3f, -1f), "b", vec(0.5f)),
                update(9, 30, PayloadKind.DELTA, "a", vec(-5f, 0f), "b", vec(12f)));
    }

    private static DpFedAvg seeded(boolean adaptive) {
        // With adaptive clipping the count noise (σ_b = qW/20) must satisfy 2σ_b > z.
        DpFedAvg.Builder b = DpFedAvg.builder().clipNorm(1).noiseMultiplier(adaptive ? 0.2 : 0.7)
                .noiseMode(NoiseMode.SEEDED);
        if (adaptive) {
            b.adaptiveClipping(AdaptiveClipping.withDefaults(1, 2.5));
        }
        return b.build();
    }

    @Test
    void foldingTheUpdatesGivesTheBufferedBitsAndMetrics() {
        for (boolean adaptive : new boolean[] {false, true}) {
            ModelState global = state("a", vec(1f, -1f), "b", vec(0f));
            RoundContext buffered = context(11, 2.5);
            RoundContext streamed = context(11, 2.5);
            DpFedAvg a = seeded(adaptive);
            DpFedAvg b = seeded(adaptive);
            ModelState expected = a.aggregate(global, updates(), buffered);
            ModelState actual = StreamingAggregator.foldAll(b, global, updates(), streamed);
            for (String p : List.of("a", "b")) {
                assertArrayEquals(expected.part(p).toFloatVector(), actual.part(p).toFloatVector(), 0f, p);
            }
            assertEquals(buffered.metrics(), streamed.metrics());
            assertEquals(2.0 / 3, streamed.metrics().get("dp_clipped_fraction"), 1e-12);
            assertEquals(a.clipNorm(), b.clipNorm(), 0.0);
        }
    }

    @Test
    void continuousNoiseStreamsAndDiscreteNoiseBuffers() {
        assertTrue(seeded(false).streams());
        assertFalse(DpFedAvg.builder().clipNorm(1).noiseMultiplier(1).discreteNoise(true).build().streams());
        assertFalse(DpFedAvg.builder().clipNorm(1).noiseMultiplier(1).secureSum(0.01).build().streams());
    }

    /** Parameters "encoder" (2) and "decoder" (1); training adds a tenth of the client's data mean, so clients differ. */
    private static final class MeanModel implements TrainableModel {
        private final Map<String, INDArray> params = new LinkedHashMap<>();

        MeanModel() {
            initialize(0);
        }

        @Override
        public ModelState initialize(long seed) {
            params.put("encoder", Nd4j.zeros(DataType.FLOAT, 2));
            params.put("decoder", Nd4j.zeros(DataType.FLOAT, 1));
            return state();
        }

        @Override
        public ModelState state() {
            Map<String, INDArray> copy = new LinkedHashMap<>();
            params.forEach((k, v) -> copy.put(k, v.dup()));
            return ModelState.of(0, copy);
        }

        @Override
        public void load(ModelState s) {
            for (String p : s.partNames()) {
                params.get(p).assign(s.part(p));
            }
        }

        @Override
        public Map<String, Double> fit(Dataset data, FitInstructions ins, ModelState anchor) {
            INDArray mean = data.features().mean(0).castTo(DataType.FLOAT).muli(0.1);
            params.get("encoder").addi(mean.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)));
            params.get("decoder").addi(mean.getDouble(2));
            return Map.of("loss", 0.0);
        }

        @Override
        public Map<String, INDArray> gradient(Dataset data, FitInstructions ins) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Double> evaluate(Dataset data, long seed) {
            return Map.of();
        }
    }

    private static float[] run(int workers, int window) {
        List<Dataset> shards = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            float[][] rows = new float[3 + k % 4][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new float[] {k - 5.5f + i, 0.3f * k * k - 7, (k % 3) - i * 0.25f};
            }
            shards.add(Dataset.unlabelled(Nd4j.createFromArray(rows)));
        }
        DpSettings settings = DpSettings.builder().noiseMultiplier(0.9).clipNorm(0.4).delta(1e-3).samplingRate(0.6)
                .noiseMode(NoiseMode.SEEDED).seededSampling(true).serverOptimizer(1.0, 0.5).build();
        Simulation.Builder b = Simulation.builder().model(MeanModel::new).clientData(shards).rounds(4).seed(7)
                .workers(workers).streamingWindow(window);
        try (Simulation sim = PrivateFederation.of(settings, shards.size()).applyTo(b).build()) {
            ModelState last = sim.run();
            float[] enc = last.part("encoder").toFloatVector();
            return new float[] {enc[0], enc[1], last.part("decoder").getFloat(0)};
        }
    }

    @Test
    void aStreamedPrivateRunHasTheBufferedRunsBitsForOneAndTwoWorkers() {
        float[] buffered = run(1, 0);
        assertArrayEquals(buffered, run(1, 2), 0f);
        assertArrayEquals(buffered, run(2, 4), 0f);
        assertArrayEquals(buffered, run(2, 0), 0f);
        // the run moved: a test of equal zeros would prove nothing
        assertTrue(Math.abs(buffered[0]) + Math.abs(buffered[1]) + Math.abs(buffered[2]) > 0.01);
    }
}
