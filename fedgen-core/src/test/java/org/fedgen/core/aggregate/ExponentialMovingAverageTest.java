package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ExponentialMovingAverageTest {

    /** Returns preset states in order and keeps a counter as its state. */
    private static final class Scripted implements Aggregator {
        final Deque<ModelState> results = new ArrayDeque<>();
        double counter;

        @Override
        public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
            counter++;
            return results.removeFirst();
        }

        @Override
        public Map<String, INDArray> state() {
            return Map.of("counter", Nd4j.scalar(counter));
        }

        @Override
        public void restoreState(Map<String, INDArray> state) {
            counter = state.get("counter").getDouble(0);
        }
    }

    private static ModelState state(float... v) {
        return ModelState.builder(0).part("denoiser", Nd4j.createFromArray(v)).build();
    }

    private static RoundContext ctx(long round) {
        return new RoundContext(round, 0, 1, 1, List.of(0));
    }

    @Test
    void averageFollowsTheRecursionAndResultsPassThrough() {
        Scripted inner = new Scripted();
        ModelState r1 = state(2f, 4f);
        inner.results.add(r1);
        inner.results.add(state(4f, 0f));
        inner.results.add(state(0f, 0f));
        ExponentialMovingAverage ema = new ExponentialMovingAverage(inner, 0.75);
        assertThrows(IllegalStateException.class, ema::average);
        assertSame(r1, ema.aggregate(r1, List.of(), ctx(1)));
        assertArrayEquals(new float[] {2f, 4f}, ema.average().part("denoiser").toFloatVector(), 0f);
        ema.aggregate(r1, List.of(), ctx(2));
        // 0.75·(2, 4) + 0.25·(4, 0) = (2.5, 3)
        assertArrayEquals(new float[] {2.5f, 3f}, ema.average().part("denoiser").toFloatVector(), 1e-7f);
        ema.aggregate(r1, List.of(), ctx(3));
        // 0.75·(2.5, 3) + 0.25·(0, 0) = (1.875, 2.25)
        assertArrayEquals(new float[] {1.875f, 2.25f}, ema.average().part("denoiser").toFloatVector(), 1e-7f);
        assertEquals(3, ema.average().round());
        // the pass-through result was not modified by averaging
        assertArrayEquals(new float[] {2f, 4f}, r1.part("denoiser").toFloatVector(), 0f);
    }

    @Test
    void stateRoundTripKeepsTheAverageAndTheInnerState() {
        Scripted inner = new Scripted();
        inner.results.add(state(1f, 2f));
        inner.results.add(state(3f, 6f));
        ExponentialMovingAverage ema = new ExponentialMovingAverage(inner, 0.5);
        ema.aggregate(state(0f, 0f), List.of(), ctx(1));
        ema.aggregate(state(0f, 0f), List.of(), ctx(2));
        Map<String, INDArray> saved = new LinkedHashMap<>(ema.state());

        Scripted inner2 = new Scripted();
        ExponentialMovingAverage restored = new ExponentialMovingAverage(inner2, 0.5);
        restored.restoreState(saved);
        assertEquals(2.0, inner2.counter);
        assertEquals(2, restored.average().round());
        assertArrayEquals(new float[] {2f, 4f}, restored.average().part("denoiser").toFloatVector(), 0f);
        inner2.results.add(state(4f, 0f));
        restored.aggregate(state(0f, 0f), List.of(), ctx(3));
        assertArrayEquals(new float[] {3f, 2f}, restored.average().part("denoiser").toFloatVector(), 0f);
    }

    @Test
    void stateSurvivesACheckpointFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Scripted inner = new Scripted();
        inner.results.add(state(1f, 2f));
        inner.results.add(state(3f, 6f));
        ExponentialMovingAverage ema = new ExponentialMovingAverage(inner, 0.5);
        ema.aggregate(state(0f, 0f), List.of(), ctx(6));
        ema.aggregate(state(0f, 0f), List.of(), ctx(7));
        // the inner counter is a double scalar here; a real aggregator's state would be float32 already
        Map<String, INDArray> saved = new LinkedHashMap<>();
        ema.state().forEach((k, v) -> saved.put(k, v.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)));
        assertEquals(org.nd4j.linalg.api.buffer.DataType.FLOAT, ema.state().get("round").dataType());
        java.nio.file.Path file = dir.resolve("ema.fgs");
        org.fedgen.core.io.CheckpointFile.write(file, new org.fedgen.core.io.Checkpoint(7, state(3f, 6f), saved));
        Scripted inner2 = new Scripted();
        ExponentialMovingAverage restored = new ExponentialMovingAverage(inner2, 0.5);
        restored.restoreState(org.fedgen.core.io.CheckpointFile.read(file).aggregatorState());
        assertEquals(2.0, inner2.counter);
        assertEquals(7, restored.average().round());
        // 0.5·(1, 2) + 0.5·(3, 6) = (2, 4)
        assertArrayEquals(new float[] {2f, 4f}, restored.average().part("denoiser").toFloatVector(), 0f);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(new Scripted(), 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(new Scripted(), -0.1));
        ExponentialMovingAverage ema = new ExponentialMovingAverage(new Scripted(), 0.5);
        assertThrows(IllegalArgumentException.class, () -> ema.restoreState(Map.of("bogus", Nd4j.scalar(1.0))));
    }
}
