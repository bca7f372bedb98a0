package org.fedgen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Properties shared by the three partitioners, on the bundled digit labels. */
class PartitionerTest {
    private static int[] digitLabels;

    @BeforeAll
    static void loadLabels() {
        digitLabels = Digits.bundled().labels();
    }

    private static List<Partitioner> all() {
        return List.of(new IidPartitioner(), new DirichletPartitioner(0.5), new ShardPartitioner(2));
    }

    /** Independent of Partition.of's own check: counts how often each index occurs over all clients. */
    private static void assertExactlyOnce(Partition p, int n) {
        int[] seen = new int[n];
        for (int c = 0; c < p.numClients(); c++) {
            for (int i : p.indices(c)) {
                seen[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen[i], "index " + i);
        }
        assertEquals(n, Arrays.stream(p.sizes()).sum());
    }

    private static boolean sameAssignment(Partition a, Partition b) {
        for (int c = 0; c < a.numClients(); c++) {
            if (!Arrays.equals(a.indices(c), b.indices(c))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyExampleIsAssignedExactlyOnce() {
        for (Partitioner p : all()) {
            for (int clients : new int[] {5, 10, 37}) {
                assertExactlyOnce(p.partition(digitLabels, clients, 7), digitLabels.length);
            }
        }
    }

    @Test
    void aSingleClientGetsEverything() {
        for (Partitioner p : List.of(new IidPartitioner(), new DirichletPartitioner(0.5), new ShardPartitioner(10))) {
            assertArrayEquals(new int[] {digitLabels.length}, p.partition(digitLabels, 1, 3).sizes(), p.toString());
        }
    }

    @Test
    void sameSeedGivesTheSamePartitionAndAnotherSeedAnother() {
        for (Partitioner p : all()) {
            Partition a = p.partition(digitLabels, 10, 42);
            assertTrue(sameAssignment(a, p.partition(digitLabels, 10, 42)), p.toString());
            assertFalse(sameAssignment(a, p.partition(digitLabels, 10, 43)), p.toString());
        }
    }

    @Test
    void iidSizesDifferByAtMostOne() {
        // 8000 = 7 * 1142 + 6: the first six clients get one more.
        Partition p = new IidPartitioner().partition(digitLabels, 7, 1);
        assertArrayEquals(new int[] {1143, 1143, 1143, 1143, 1143, 1143, 1142}, p.sizes());
        assertEquals(0, p.emptyClients().length);
    }

    @Test
    void iidWithMoreClientsThanExamplesReportsAndLogsTheEmptyClients() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Partition p;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            p = new IidPartitioner().partition(new int[] {0, 1, 0}, 5, 3);
        } finally {
            System.setErr(saved);
        }
        assertArrayEquals(new int[] {1, 1, 1, 0, 0}, p.sizes());
        assertArrayEquals(new int[] {3, 4}, p.emptyClients());
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains("2 of 5 clients received no examples: [3, 4]"), log);
    }

    @Test
    void shardsGiveEachClientAtMostKLabels() {
        for (int k : new int[] {1, 2, 3}) {
            for (int clients : new int[] {10, 37}) {
                Partition p = new ShardPartitioner(k).partition(digitLabels, clients, 5);
                for (int[] row : p.labelCounts(10)) {
                    long labels = Arrays.stream(row).filter(x -> x > 0).count();
                    assertTrue(labels >= 1 && labels <= k, "k=" + k + " clients=" + clients + ": " + labels);
                }
            }
        }
    }

    @Test
    void oneShardPerClientOverTenClientsGivesEachClientOneWholeClass() {
        Partition p = new ShardPartitioner(1).partition(digitLabels, 10, 9);
        int[] classSizes = {799, 908, 795, 819, 793, 684, 829, 844, 745, 784};
        int[] sizes = p.sizes();
        Arrays.sort(sizes);
        int[] expected = classSizes.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, sizes);
        // Single-label clients: Σ_k (n_k/n)(1 − n_k/n) = 1 − Σ_c (n_c/n)².
        double sumSq = 0;
        for (int c : classSizes) {
            sumSq += (c / 8000.0) * (c / 8000.0);
        }
        assertEquals(1 - sumSq, p.meanLabelDistance(), 1e-12);
    }

    @Test
    void dirichletSkewShrinksWithAlpha() {
        // Measured over seeds 0..199 with 10 clients: alpha = 0.1 gives 0.547 to 0.745, alpha = 100 gives 0.028 to
        // 0.043 (an IID split measures about 0.042 from sampling noise alone; the ceiling for one label per client
        // is 0.90), so these bounds have a wide margin for any seed.
        for (long seed = 0; seed < 3; seed++) {
            double skewed = new DirichletPartitioner(0.1).partition(digitLabels, 10, seed).meanLabelDistance();
            double mixed = new DirichletPartitioner(100).partition(digitLabels, 10, seed).meanLabelDistance();
            assertTrue(skewed > 0.5, "alpha 0.1, seed " + seed + ": " + skewed);
            assertTrue(mixed < 0.06, "alpha 100, seed " + seed + ": " + mixed);
        }
    }

    @Test
    void dirichletWithTinyAlphaStillAssignsEverything() {
        // alpha = 1e-4 makes U^(1/alpha) underflow to 0 in a naive sampler; log-space normalisation must cope.
        Partition p = new DirichletPartitioner(1e-4).partition(digitLabels, 10, 11);
        assertExactlyOnce(p, digitLabels.length);
        // Each class then goes almost entirely to one client.
        int[][] counts = p.labelCounts(10);
        for (int c = 0; c < 10; c++) {
            int max = 0;
            int total = 0;
            for (int[] row : counts) {
                max = Math.max(max, row[c]);
                total += row[c];
            }
            assertTrue(max >= 0.99 * total, "class " + c + ": largest share " + max + " of " + total);
        }
    }

    @Test
    void dirichletBoundariesRoundCumulativeSums() {
        assertArrayEquals(new int[] {0, 3, 5, 10}, DirichletPartitioner.boundaries(new double[] {0.25, 0.25, 0.5}, 10));
        assertArrayEquals(new int[] {0, 2, 2, 3}, DirichletPartitioner.boundaries(new double[] {0.5, 0, 0.5}, 3));
        assertArrayEquals(new int[] {0, 7}, DirichletPartitioner.boundaries(new double[] {1.0}, 7));
    }

    @Test
    void argumentsAreValidated() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new DirichletPartitioner(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new ShardPartitioner(0));
        for (Partitioner p : all()) {
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                    () -> p.partition(digitLabels, 0, 1));
            assertTrue(zero.getMessage().contains("numClients"), zero.getMessage());
            assertThrows(NullPointerException.class, () -> p.partition(null, 2, 1));
            assertThrows(IllegalArgumentException.class, () -> p.partition(new int[0], 2, 1));
            assertThrows(IllegalArgumentException.class, () -> p.partition(new int[] {0, -1}, 1, 1));
        }
        ShardPartitioner shards = new ShardPartitioner(2);
        assertThrows(IllegalArgumentException.class, () -> shards.partition(new int[] {0, 1, 0}, 4, 1));
        IllegalArgumentException tooManyShards = assertThrows(IllegalArgumentException.class,
                () -> shards.partition(new int[] {0, 1, 0, 1, 0}, 3, 1));
        assertTrue(tooManyShards.getMessage().contains("6 shards"), tooManyShards.getMessage());
        IllegalArgumentException tooFewShards = assertThrows(IllegalArgumentException.class,
                () -> new ShardPartitioner(1).partition(digitLabels, 5, 1));
        assertTrue(tooFewShards.getMessage().contains("10 distinct labels"), tooFewShards.getMessage());
    }
}
