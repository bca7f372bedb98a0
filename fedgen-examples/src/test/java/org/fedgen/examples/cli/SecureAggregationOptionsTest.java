package org.fedgen.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fedgen.core.data.Dataset;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/** The --secagg-* options: parsing through the RunOptions mixin, their defaults, and what they refuse. */
class SecureAggregationOptionsTest {
    private static RunOptions parse(String... args) {
        RunOptions o = new RunOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    /** Ten clients with 1, 2, ..., 10 examples. */
    private static List<Dataset> shards() {
        List<Dataset> s = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            s.add(new Dataset(Nd4j.zeros(DataType.FLOAT, i, 784), new int[i], new int[] {1, 28, 28}));
        }
        return s;
    }

    @Test
    void defaultsAreAMajorityThresholdAndTheLargestClientAsWeightCap() {
        RunOptions o = parse("--secure-aggregation");
        SecAggConfig c = o.secureAggregation.toSettings().config(shards(), 0);
        assertEquals(new SecAggConfig(0, 16, 1.0, 0, 0, 10), c);
        // Threshold 0: a majority of the round's share holders, 6 of 10 clients, 3 of 4 sampled.
        assertEquals(List.of(6, 3), List.of(c.thresholdFor(c.holders(10)), c.thresholdFor(c.holders(4))));
        // With a 4-regular graph a client's secrets have 5 holders: majority 3.
        SecAggConfig sparse = parse("--secure-aggregation", "--secagg-neighbours", "4").secureAggregation
                .toSettings().config(shards(), 0);
        assertEquals(3, sparse.thresholdFor(sparse.holders(10)));
    }

    @Test
    void explicitOptionsArePassedThrough() {
        SecAggConfig c = parse("--secure-aggregation", "--secagg-threshold", "4", "--secagg-bits", "12",
                "--secagg-range", "0.25", "--secagg-neighbours", "6", "--secagg-clip", "2.5",
                "--secagg-weight-cap", "0").secureAggregation.toSettings().config(shards(), 0);
        assertEquals(new SecAggConfig(4, 12, 0.25, 6, 2.5, 0), c);
        assertEquals(1.0, c.weight(7));
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> parse(
                "--secure-aggregation", "--secagg-threshold", "5").secureAggregation.toSettings().config(shards(), 4));
        assertTrue(t.getMessage().contains("--secagg-threshold 5 exceeds --clients-per-round 4"), t.getMessage());
        // The default follows the round's size, so four clients per round can finish.
        assertEquals(0, parse("--secure-aggregation").secureAggregation.toSettings().config(shards(), 4)
                .threshold());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> parse(
                "--secure-aggregation", "--secagg-bits", "32").secureAggregation.toSettings().config(shards(), 0));
        assertTrue(b.getMessage().startsWith("--secure-aggregation: quantisation bits"), b.getMessage());
    }
}
