package org.fedgen.models.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class WeightAverageTest {

    @Test
    void startsAtTheFirstWeightsAndDecaysExactly() {
        WeightAverage avg = new WeightAverage(0.75);
        assertThrows(IllegalStateException.class, avg::average);
        var w = Nd4j.createFromArray(4f, -8f, 1f);
        avg.update(w);
        assertArrayEquals(new float[] {4f, -8f, 1f}, avg.average().toFloatVector());
        w.assign(Nd4j.createFromArray(0f, 8f, 5f));
        avg.update(w);
        // 0.75·(4, −8, 1) + 0.25·(0, 8, 5)
        assertArrayEquals(new float[] {3f, -4f, 2f}, avg.average().toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {0f, 8f, 5f}, w.toFloatVector(), "the input is not modified");
        avg.average().assign(100);
        assertArrayEquals(new float[] {3f, -4f, 2f}, avg.average().toFloatVector(), 1e-6f, "average() is a copy");
        assertEquals(2, avg.updates());
    }

    @Test
    void rejectsBadDecayAndMismatchedWeights() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> new WeightAverage(1.0));
        assertTrue(one.getMessage().contains("got 1.0"), one.getMessage());
        WeightAverage avg = new WeightAverage(0.5);
        avg.update(Nd4j.createFromArray(1f, 2f));
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> avg.update(Nd4j.createFromArray(1f, 2f, 3f)));
        assertTrue(len.getMessage().contains("3"), len.getMessage());
        assertThrows(IllegalArgumentException.class, () -> avg.update(Nd4j.createFromArray(1.0, 2.0)));
    }
}
