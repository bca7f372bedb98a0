package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;

class MmdAggregatorTest {
    private static final ModelState GLOBAL = AggTestData.state(new float[] {0, 0}, new float[] {0});

    private static List<ClientUpdate> updates(double... mmd) {
        return List.of(
                AggTestData.withMmd(AggTestData.update(1, 1, 10, PayloadKind.WEIGHTS, new float[] {1, 0},
                        new float[] {1}), mmd[0]),
                AggTestData.withMmd(AggTestData.update(2, 1, 20, PayloadKind.WEIGHTS, new float[] {0, 1},
                        new float[] {2}), mmd[1]),
                AggTestData.withMmd(AggTestData.update(3, 1, 30, PayloadKind.WEIGHTS, new float[] {1, 1},
                        new float[] {4}), mmd[2]));
    }

    @Test
    void weightsAreTheSoftmaxOfSignedScaledScores() {
        double tau = 0.1;
        double[] scores = {0.1, 0.2, 0.4};
        double z = Math.exp(1) + Math.exp(2) + Math.exp(4);
        double[] expected = {Math.exp(1) / z, Math.exp(2) / z, Math.exp(4) / z};
        assertArrayEquals(expected, new MmdAggregator(1, tau, null).weights(scores), 1e-15);
        double zn = Math.exp(-1) + Math.exp(-2) + Math.exp(-4);
        assertArrayEquals(new double[] {Math.exp(-1) / zn, Math.exp(-2) / zn, Math.exp(-4) / zn},
                new MmdAggregator(-1, tau, null).weights(scores), 1e-15);
    }

    @Test
    void aggregateIsTheSoftmaxWeightedSumAndAdoptionFollowsTheMeanThreshold() {
        MmdAggregator agg = new MmdAggregator(1, 0.1, null);
        RoundContext ctx = AggTestData.context(1);
        ModelState out = agg.aggregate(GLOBAL, updates(0.1, 0.2, 0.4), ctx);
        double[] a = agg.weights(new double[] {0.1, 0.2, 0.4});
        assertArrayEquals(new float[] {(float) (a[0] + a[2]), (float) (a[1] + a[2])}, out.part("w").toFloatVector(),
                1e-6f);
        assertArrayEquals(new float[] {(float) (a[0] + 2 * a[1] + 4 * a[2])}, out.part("b").toFloatVector(), 1e-6f);
        // mean score = 0.7/3 ≈ 0.233: client 3 (0.4 > c) adopts the global parts, clients 1 and 2 keep their own.
        Map<Integer, Set<String>> d = ctx.resumeDecisions();
        assertEquals(Set.of("w", "b"), d.get(1));
        assertEquals(Set.of("w", "b"), d.get(2));
        assertEquals(Set.of(), d.get(3));
        assertEquals(1.0, ctx.metrics().get("mmd_adopted"));
    }

    /**
     * The streamed fold rebases its running sums whenever a larger score arrives (here at every update: 0.1, 0.2,
     * 0.4) and must give the softmax-weighted mean, the same adoption decisions and the same MMD metrics as
     * {@link MmdAggregator#aggregate}, with and without the data-size prior.
     */
    @Test
    void theStreamedFoldEqualsTheBufferedAggregateUpToFloatRounding() {
        for (boolean prior : new boolean[] {false, true}) {
            MmdAggregator agg = new MmdAggregator(1, 0.1, null, prior);
            RoundContext buffered = AggTestData.context(1);
            RoundContext streamed = AggTestData.context(1);
            ModelState expected = agg.aggregate(GLOBAL, updates(0.1, 0.2, 0.4), buffered);
            ModelState out = org.fedgen.core.StreamingAggregator.foldAll(agg, GLOBAL, updates(0.1, 0.2, 0.4),
                    streamed);
            for (String part : List.of("w", "b")) {
                assertArrayEquals(expected.part(part).toFloatVector(), out.part(part).toFloatVector(), 1e-6f, part);
            }
            assertEquals(buffered.resumeDecisions(), streamed.resumeDecisions());
            assertEquals(buffered.metrics(), streamed.metrics());
        }
        // Scores falling after the first: no rebase, weights e^(a_k − a_1) folded as they come.
        MmdAggregator agg = new MmdAggregator(1, 0.1, null);
        ModelState expected = agg.aggregate(GLOBAL, updates(0.4, 0.2, 0.1), AggTestData.context(1));
        ModelState out = org.fedgen.core.StreamingAggregator.foldAll(agg, GLOBAL, updates(0.4, 0.2, 0.1),
                AggTestData.context(1));
        assertArrayEquals(expected.part("w").toFloatVector(), out.part("w").toFloatVector(), 1e-6f);
        assertTrue(agg.streams());
    }

    @Test
    void withAMaximumClientWeightTheFoldBuffersAndEqualsTheAggregateExactly() {
        MmdAggregator agg = new MmdAggregator(1, 0.01, null, false, MmdAggregator.DEFAULT_SCORE_BOUND, 0.4);
        ModelState expected = agg.aggregate(GLOBAL, updates(0.1, 0.2, 0.4), AggTestData.context(1));
        ModelState out = org.fedgen.core.StreamingAggregator.foldAll(agg, GLOBAL, updates(0.1, 0.2, 0.4),
                AggTestData.context(1));
        assertTrue(expected.bitEquals(out), "buffered fold differs from aggregate");
        assertTrue(!agg.streams());
    }

    /**
     * With the data-size prior α_k ∝ n_k·exp(s·mmd_k/τ): equal scores give FedAvg's n_k/N (clients of 10, 20, 30
     * examples: 1/6, 2/6, 3/6), and scores 0, ln 2, 0 at τ = 1 give 10 : 40 : 30.
     */
    @Test
    void dataWeightedScoresTiltFedAvgWeights() {
        MmdAggregator agg = new MmdAggregator(1, 1, null, true);
        ModelState out = agg.aggregate(GLOBAL, updates(0.2, 0.2, 0.2), AggTestData.context(1));
        assertArrayEquals(new float[] {4f / 6, 5f / 6}, out.part("w").toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {17f / 6}, out.part("b").toFloatVector(), 1e-6f);
        assertArrayEquals(new double[] {1.0 / 8, 4.0 / 8, 3.0 / 8},
                agg.weights(new double[] {0, Math.log(2), 0}, new double[] {10, 20, 30}), 1e-15);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3},
                new MmdAggregator(1, 1, null).weights(new double[] {0.2, 0.2, 0.2}), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agg.weights(new double[] {0, 0}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 scores but 1 example counts"), e.getMessage());
        assertTrue(agg.toString().contains("n_k prior"), agg.toString());
    }

    @Test
    void explicitThresholdDecidesAdoption() {
        RoundContext ctx = AggTestData.context(1);
        new MmdAggregator(1, 1, 0.15).aggregate(GLOBAL, updates(0.1, 0.2, 0.4), ctx);
        assertEquals(Set.of("w", "b"), ctx.resumeDecisions().get(1));
        assertEquals(Set.of(), ctx.resumeDecisions().get(2));
        assertEquals(Set.of(), ctx.resumeDecisions().get(3));
    }

    @Test
    void clientsAreAskedToScoreAndKeepTheirParts() {
        FitInstructions ins = new MmdAggregator().configureFit(FitInstructions.builder().build(), GLOBAL);
        assertTrue(ins.reportMmd());
        assertEquals(Set.of("w", "b"), ins.persistParts());
    }

    @Test
    void missingScoreAndBadParametersAreClearErrors() {
        List<ClientUpdate> noScore = List.of(AggTestData.update(5, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 0},
                new float[] {1}));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new MmdAggregator().aggregate(GLOBAL, noScore, AggTestData.context(1)));
        assertTrue(e.getMessage().contains("client 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MmdAggregator(2, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new MmdAggregator(1, 0, null));
    }
}
