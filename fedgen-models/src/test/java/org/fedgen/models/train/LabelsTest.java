package org.fedgen.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class LabelsTest {

    @Test
    void rangesCyclesPicksAndSlices() {
        assertArrayEquals(new int[] {3, 4, 5}, Labels.range(3, 6));
        assertArrayEquals(new int[0], Labels.range(2, 2));
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0}, Labels.cycle(7, 3));
        assertArrayEquals(new int[] {9, 7, 9}, Labels.pick(new int[] {7, 8, 9}, new int[] {2, 0, 2}));
        assertArrayEquals(new int[] {8, 9}, Labels.slice(new int[] {7, 8, 9}, 1, 2));
        assertNull(Labels.pick(null, new int[] {0}));
        assertNull(Labels.slice(null, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Labels.range(3, 2));
        assertThrows(IllegalArgumentException.class, () -> Labels.cycle(3, 0));
    }

    @Test
    void samplingLabelsMustBeNonEmptyAndInRange() {
        Labels.checkForSampling(new int[] {0, 2}, 3);
        assertEquals("label 3 at position 1 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> Labels.checkForSampling(new int[] {0, 3}, 3)).getMessage());
        assertEquals("label -1 at position 0 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> Labels.checkForSampling(new int[] {-1}, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Labels.checkForSampling(new int[0], 3));
        assertThrows(IllegalArgumentException.class, () -> Labels.checkForSampling(null, 3));
    }

    @Test
    void trainingDataChecksNameTheBadValue() {
        Dataset unlabelled = new Dataset(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 6), null,
                new int[] {6});
        assertEquals(4, TrainingData.check(unlabelled, "M", 6, 0));
        assertEquals("data has 6 features but the M expects 5", assertThrows(IllegalArgumentException.class,
                () -> TrainingData.check(unlabelled, "M", 5, 0)).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingData.check(unlabelled, "M", 6, 3));
        assertEquals(true, e.getMessage().startsWith("the conditional M (3 classes) needs labelled data"),
                e.getMessage());
    }
}
