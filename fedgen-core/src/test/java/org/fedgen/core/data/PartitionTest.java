package org.fedgen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class PartitionTest {
    private static final int[] LABELS = {0, 0, 1, 1, 1, 2};

    private static Partition handMade() {
        return Partition.of(new int[][] {{2, 0}, {4, 1, 3}, {5}}, LABELS);
    }

    @Test
    void indicesAreSortedCopiesAndSizesAreCounted() {
        Partition p = handMade();
        assertArrayEquals(new int[] {0, 2}, p.indices(0));
        assertArrayEquals(new int[] {1, 3, 4}, p.indices(1));
        assertArrayEquals(new int[] {2, 3, 1}, p.sizes());
        assertEquals(3, p.numClients());
        assertEquals(6, p.numExamples());
        assertEquals(3, p.numClasses());
        p.indices(0)[0] = 99;
        assertEquals(0, p.indices(0)[0]);
    }

    @Test
    void labelCountsMatchHandCount() {
        int[][] counts = handMade().labelCounts(4);
        assertArrayEquals(new int[] {1, 1, 0, 0}, counts[0]);
        assertArrayEquals(new int[] {1, 2, 0, 0}, counts[1]);
        assertArrayEquals(new int[] {0, 0, 1, 0}, counts[2]);
        assertThrows(IllegalArgumentException.class, () -> handMade().labelCounts(2));
    }

    @Test
    void labelDistanceIsTotalVariationToGlobalMix() {
        // Global mix (2/6, 3/6, 1/6). Client 0 (1/2, 1/2, 0): TV = (1/6 + 0 + 1/6) / 2 = 1/6.
        // Client 1 (1/3, 2/3, 0): TV = (0 + 1/6 + 1/6) / 2 = 1/6. Client 2 (0, 0, 1): TV = (2/6 + 3/6 + 5/6) / 2 = 5/6.
        Partition p = handMade();
        assertEquals(1.0 / 6, p.labelDistance(0), 1e-15);
        assertEquals(1.0 / 6, p.labelDistance(1), 1e-15);
        assertEquals(5.0 / 6, p.labelDistance(2), 1e-15);
        // Size-weighted: 2/6 * 1/6 + 3/6 * 1/6 + 1/6 * 5/6 = 10/36.
        assertEquals(10.0 / 36, p.meanLabelDistance(), 1e-15);
    }

    @Test
    void identicalMixesHaveZeroDistance() {
        Partition p = Partition.of(new int[][] {{0, 1}, {2, 3}}, new int[] {0, 1, 1, 0});
        assertEquals(0.0, p.meanLabelDistance(), 0.0);
    }

    @Test
    void rejectsIndicesThatAreNotAssignedExactlyOnce() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> Partition.of(new int[][] {{0, 1, 2}, {2, 3, 4, 5}}, LABELS));
        assertTrue(dup.getMessage().contains("index 2"), dup.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Partition.of(new int[][] {{0, 1, 2}, {3, 4}}, LABELS));
        assertTrue(missing.getMessage().contains("index 5"), missing.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Partition.of(new int[][] {{0, 1, 2, 3, 4, 5, 6}}, LABELS));
        assertTrue(range.getMessage().contains("index 6"), range.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Partition.of(new int[][] {{0, 1}}, new int[] {0, -3}));
        assertTrue(negative.getMessage().contains("-3"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Partition.of(new int[0][], LABELS));
    }

    @Test
    void emptyClientIsReportedAndGetsAnEmptyDataset() {
        Partition p = Partition.of(new int[][] {{0, 1, 2}, {}, {3, 4, 5}, {}}, LABELS);
        assertArrayEquals(new int[] {1, 3}, p.emptyClients());
        assertEquals(0.0, p.labelDistance(1), 0.0);
        Dataset data = new Dataset(Nd4j.arange(12).castTo(DataType.FLOAT).reshape(6, 2), LABELS, new int[] {2});
        List<Dataset> split = p.apply(data);
        assertEquals(4, split.size());
        assertEquals(0, split.get(1).size());
        assertEquals(2, split.get(1).numFeatures());
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, split.get(2).features().dup('c').data().asFloat());
        assertArrayEquals(new int[] {1, 1, 2}, split.get(2).labels());
    }

    @Test
    void applyChecksThatTheDatasetMatches() {
        Partition p = handMade();
        Dataset wrongSize = Dataset.unlabelled(Nd4j.zeros(DataType.FLOAT, 5, 2));
        assertThrows(IllegalArgumentException.class, () -> p.apply(wrongSize));
        Dataset wrongLabels = new Dataset(Nd4j.zeros(DataType.FLOAT, 6, 2), new int[] {0, 0, 1, 1, 2, 2},
                new int[] {2});
        assertThrows(IllegalArgumentException.class, () -> p.apply(wrongLabels));
        assertEquals(3, p.apply(Dataset.unlabelled(Nd4j.zeros(DataType.FLOAT, 6, 2))).get(1).size());
    }
}
