package org.fedgen.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.aggregate.CoordinateMedian;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.Krum;
import org.fedgen.core.aggregate.MmdAggregator;
import org.fedgen.core.aggregate.NormBound;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The client-claim attacks of issue 17 through the real round loop: each is refused or neutralised. */
class ClientClaimsTest {
    private static final ModelState ZERO = ModelState.builder(0).part("w", Nd4j.createFromArray(0f, 0f)).build();

    /**
     * Holds {@code n} examples (its registered size) and sends global + delta in every coordinate, claiming
     * {@code claimed} examples and reporting {@code metrics}.
     */
    private record FixedClient(int id, long n, float delta, long claimed, Map<String, Double> metrics)
            implements Client {
        static FixedClient honest(int id, long n, float delta) {
            return new FixedClient(id, n, delta, n, Map.of("mmd", 0.1));
        }

        @Override
        public long numExamples() {
            return n;
        }

        @Override
        public ClientUpdate fit(ModelState global, FitInstructions ins) {
            return new ClientUpdate(id, ins.round(), claimed, PayloadKind.WEIGHTS,
                    Map.of("w", global.part("w").add(delta)), metrics);
        }

        @Override
        public Map<String, Double> evaluate(ModelState global, EvalInstructions ins) {
            return Map.of();
        }
    }

    private static RoundResult round(Aggregator aggregator, double maxShare, List<? extends Client> clients) {
        List<ClientProxy> proxies = new ArrayList<>();
        for (Client c : clients) {
            proxies.add(new InProcessClientProxy(c, Runnable::run));
        }
        Server s = Server.builder().initialState(ZERO).clients(proxies).aggregator(aggregator).rounds(1)
                .maxClientWeight(maxShare).build();
        s.run();
        return s.history().get(0);
    }

    /** Four honest clients (deltas 0.25, 0.5, 0.25, 0.5; 10 examples each) and client 4 as given. */
    private static List<FixedClient> withAttacker(FixedClient attacker) {
        return List.of(FixedClient.honest(0, 10, 0.25f), FixedClient.honest(1, 10, 0.5f),
                FixedClient.honest(2, 10, 0.25f), FixedClient.honest(3, 10, 0.5f), attacker);
    }

    private static float[] w(RoundResult r) {
        return r.global().part("w").toFloatVector();
    }

    @Test
    void weightsOf1e30MoveFedAvgButAreNeutralisedByRobustRules() {
        FixedClient attacker = new FixedClient(4, 10, 1e30f, 10, Map.of());
        // FedAvg: (10·0.25 + 10·0.5 + 10·0.25 + 10·0.5 + 10·1e30) / 50 ≈ 2e29. A share cap does not help: every client
        // already holds 1/5 of the examples, and a cap bounds a weight, not the size of what it multiplies.
        assertEquals(2e29, w(round(new FedAvg(), 1.0, withAttacker(attacker)))[0], 1e23);
        assertEquals(2e29, w(round(new FedAvg(), 0.2, withAttacker(attacker)))[0], 1e23);
        // median of 0.25, 0.25, 0.5, 0.5, 1e30 = 0.5
        assertArrayEquals(new float[] {0.5f, 0.5f}, w(round(new CoordinateMedian(), 1.0, withAttacker(attacker))), 0f);
        // Multi-Krum f = 1, m = n − f = 4 drops the attacker: (0.25 + 0.5 + 0.25 + 0.5) / 4 = 0.375
        assertArrayEquals(new float[] {0.375f, 0.375f},
                w(round(Krum.multiKrum(1, 0), 1.0, withAttacker(attacker))), 0f);
        // Norm bound M = 1: the attacker's delta (norm 1.4e30) becomes norm 1, i.e. 1/√2 per coordinate; honest deltas
        // (norms 0.35 and 0.71) pass. Mean: (0.25 + 0.5 + 0.25 + 0.5 + 1/√2) / 5.
        float expected = (float) ((1.5 + Math.sqrt(0.5)) / 5);
        assertArrayEquals(new float[] {expected, expected}, w(round(new NormBound(1), 1.0, withAttacker(attacker))),
                1e-7f);
    }

    @Test
    void aClaimOfLongMaxOver4IsCappedAtTheRegisteredSize() {
        FixedClient liar = new FixedClient(4, 10, 1f, Long.MAX_VALUE / 4, Map.of());
        FixedClient truthful = new FixedClient(4, 10, 1f, 10, Map.of());
        RoundResult lied = round(new FedAvg(), 1.0, withAttacker(liar));
        RoundResult honest = round(new FedAvg(), 1.0, withAttacker(truthful));
        // (2.5 + 5 + 2.5 + 5 + 10) / 50 = 0.5, as if the client had told the truth
        assertArrayEquals(w(honest), w(lied), 0f);
        assertArrayEquals(new float[] {0.5f, 0.5f}, w(lied), 1e-7f);
        assertEquals(1.0, lied.metric("claims_bounded"));
        assertEquals(50.0, lied.metric("examples"));
        assertTrue(Double.isNaN(honest.metric("claims_bounded")));
    }

    @Test
    void aClientWithoutARegisteredSizeCountsOneWhateverItClaims() {
        ClientProxy unregistered = new ClientProxy() {
            private final InProcessClientProxy inner = new InProcessClientProxy(
                    new FixedClient(1, 10, 1f, 1_000_000, Map.of()), Runnable::run);

            @Override
            public int clientId() {
                return 1;
            }

            @Override
            public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
                return inner.fit(global, instructions);
            }

            @Override
            public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions ins) {
                return inner.evaluate(global, ins);
            }
        };
        ClientProxy registered = new InProcessClientProxy(FixedClient.honest(0, 3, 0f), Runnable::run);
        Server s = Server.builder().initialState(ZERO).clients(List.of(registered, unregistered))
                .aggregator(new FedAvg()).rounds(1).build();
        s.run();
        // counts 3 and 1: (3·0 + 1·1) / 4 = 0.25
        assertArrayEquals(new float[] {0.25f, 0.25f}, s.global().part("w").toFloatVector(), 0f);
    }

    @Test
    void aMaximumShareWaterFillsTheLargestRegisteredCount() {
        // counts 10, 10, 10, 1000 with ρ = 0.4: the largest is lowered to t = 0.4·30/(1 − 0.4) = 20, shares .2 .2 .2 .4
        long[] n = {10, 10, 10, 1000};
        ClaimBounds.capShares(n, 0.4);
        assertArrayEquals(new long[] {10, 10, 10, 20}, n);
        // two large: 100, 100, 1, 1 with ρ = 0.3: t = 0.3·2/(1 − 0.6) = 1.5 -> floor 1; every client counts 1
        long[] two = {100, 100, 1, 1};
        ClaimBounds.capShares(two, 0.3);
        assertArrayEquals(new long[] {1, 1, 1, 1}, two);
        // ρ·K < 1: no bound exists, uniform
        long[] few = {5, 7};
        ClaimBounds.capShares(few, 0.4);
        assertArrayEquals(new long[] {1, 1}, few);
        // weights 0.7, 0.2, 0.1 with ρ = 0.5: t = 0.5·0.3/0.5 = 0.3 -> 0.3, 0.2, 0.1 normalised = 1/2, 1/3, 1/6
        assertArrayEquals(new double[] {0.5, 1.0 / 3, 1.0 / 6},
                ClaimBounds.cappedShares(new double[] {0.7, 0.2, 0.1}, 0.5), 1e-15);
        assertNull(ClaimBounds.cappedShares(new double[] {0, 0}, 0.5));
        // through the server: client 4 holds 1000 of 1040 examples; with ρ = 0.4 it counts 26.67 -> 26 of 66
        FixedClient big = new FixedClient(4, 1000, 1f, 1000, Map.of());
        RoundResult r = round(new FedAvg(), 0.4, withAttacker(big));
        assertEquals((float) ((2.5 + 5 + 2.5 + 5 + 26) / 66.0), w(r)[0], 1e-7f);
    }

    @Test
    void anMmdOf1e6OrNaNRejectsThatClientOnlyAndTheRoundGoesOn() {
        MmdAggregator mmd = new MmdAggregator();
        RoundResult without = round(new MmdAggregator(), 1.0, withAttacker(FixedClient.honest(4, 10, 0.5f)).subList(0, 4));
        for (double bad : new double[] {1e6, Double.NaN, Double.POSITIVE_INFINITY, -3}) {
            FixedClient liar = new FixedClient(4, 10, 100f, 10, Map.of("mmd", bad));
            RoundResult r = round(mmd, 1.0, withAttacker(liar));
            assertEquals(1.0, r.metric("rejected"), "mmd " + bad);
            assertEquals(4.0, r.metric("accepted"));
            assertTrue(r.rejections().get(4).contains("mmd = " + bad), r.rejections().toString());
            assertArrayEquals(w(without), w(r), 0f);
        }
        FixedClient missing = new FixedClient(4, 10, 100f, 10, Map.of());
        assertEquals(1.0, round(mmd, 1.0, withAttacker(missing)).metric("rejected"));
    }

    @Test
    void theMmdWeightCapBoundsTheBestScoringClientsShare() {
        // scores 0.1 ×4 and 2 (in range) at τ = 0.01: softmax puts ≈ 1 − 4e-83 on client 4; capped at 0.4 it gets
        // exactly 0.4 and the others 0.15 each: w = 0.15·(0.25 + 0.5 + 0.25 + 0.5) + 0.4·1 = 0.625
        FixedClient best = new FixedClient(4, 10, 1f, 10, Map.of("mmd", 2.0));
        MmdAggregator capped = new MmdAggregator(1, 0.01, null, false, MmdAggregator.DEFAULT_SCORE_BOUND, 0.4);
        assertEquals(0.625f, w(round(capped, 1.0, withAttacker(best)))[0], 1e-7f);
        assertEquals(1f, w(round(new MmdAggregator(1, 0.01, null), 1.0, withAttacker(best)))[0], 1e-7f);
    }
}
