package org.fedgen.models.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fedgen.core.metrics.SquaredDistances;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PrecisionRecallTest {
    private static INDArray column(double... v) {
        return Nd4j.create(v, new long[] {v.length, 1}, DataType.DOUBLE);
    }

    @Test
    void handComputedOneDimensionalCase() {
        // real {0,1,2,3}, k = 1: every radius is 1, so 0.5 is inside and 10 is not -> precision 1/2.
        // generated {0.5, 10}, k = 1: both radii are 9.5, so all real points lie within 9.5 of 0.5 -> recall 1.
        PrecisionRecall.Result r = PrecisionRecall.compute(column(0, 1, 2, 3), column(0.5, 10), 1);
        assertEquals(0.5, r.precision(), 0.0);
        assertEquals(1.0, r.recall(), 0.0);
        // generated {1.5, 2.5, 9}: radii 1, 1, 6.5; real 3 is within 6.5 of 9 (boundary counts), 0 is not.
        PrecisionRecall.Result s = PrecisionRecall.compute(column(0, 1, 2, 3), column(1.5, 2.5, 9), 1);
        assertEquals(2.0 / 3.0, s.precision(), 0.0);
        assertEquals(3.0 / 4.0, s.recall(), 0.0);
    }

    @Test
    void kthNeighbourRadiusSkipsSelfAndKeepsDuplicates() {
        INDArray x = column(0, 1, 2, 3);
        assertArrayEquals(new double[] {9, 4, 4, 9},
                PrecisionRecall.kthNeighbourSquaredRadii(SquaredDistances.within(x), 4, 3), 0.0);
        INDArray dup = column(5, 5, 7);
        assertArrayEquals(new double[] {0, 0, 4},
                PrecisionRecall.kthNeighbourSquaredRadii(SquaredDistances.within(dup), 3, 1), 0.0);
    }

    @Test
    void rejectsTooFewPoints() {
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.compute(column(0, 1, 2), column(0, 1, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.compute(column(0, 1), column(0, 1), 0));
    }
}
