package org.fedgen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static Dataset rows(float[][] x, int[] y) {
        return new Dataset(Nd4j.createFromArray(x), y, new int[] {x[0].length});
    }

    @Test
    void concatKeepsOrderOfRowsAndLabelsAndSkipsEmptyParts() {
        Dataset a = rows(new float[][] {{1, 2}, {3, 4}}, new int[] {7, 8});
        Dataset b = rows(new float[][] {{5, 6}}, new int[] {9});
        Dataset c = Dataset.concat(List.of(a, a.subset(new int[0]), b));
        assertEquals(3, c.size());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.features().dup().data().asFloat(), 0f);
        assertArrayEquals(new int[] {7, 8, 9}, c.labels());
        assertArrayEquals(new int[] {2}, c.itemShape());
    }

    @Test
    void concatRefusesMismatchedParts() {
        Dataset a = rows(new float[][] {{1, 2}}, new int[] {1});
        assertThrows(IllegalArgumentException.class, () -> Dataset.concat(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.concat(List.of(a, Dataset.unlabelled(Nd4j.createFromArray(new float[][] {{1, 2}})))));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.concat(List.of(a, rows(new float[][] {{1, 2, 3}}, new int[] {1}))));
    }
}
