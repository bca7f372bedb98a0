package org.fedgen.privacy.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.RoundContext;
import org.fedgen.core.RoundResult;
import org.fedgen.core.Server;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.InspectsIndividualUpdates;
import org.junit.jupiter.api.Test;

class SecureAggregatorTest {
    private static final double EPS32 = Math.pow(2, -24);

    private static SecAggConfig config(int threshold, int neighbours, long weightCap) {
        return new SecAggConfig(threshold, 16, 1.0, neighbours, 0, weightCap);
    }

    /** The largest |change − Σ w_k d_k / Σ w_k| over the coordinates after one round. */
    private static double worstError(Federation f, double[] weights) {
        Server server = f.server(1);
        server.runRound(1);
        double[] change = Federation.change(f.initial, server.global());
        double total = java.util.Arrays.stream(weights).sum();
        double worst = 0;
        for (int i = 0; i < change.length; i++) {
            double plain = 0;
            for (int k = 0; k < weights.length; k++) {
                plain += weights[k] * f.delta(k)[i];
            }
            worst = Math.max(worst, Math.abs(change[i] - plain / total));
        }
        return worst;
    }

    @Test
    void unmaskedMeanEqualsPlainMeanWithinQuantisationBound() {
        Federation f = new Federation(config(3, 0, 0), 5, 0.9, Set.of());
        double worst = worstError(f, new double[] {1, 1, 1, 1, 1});
        // Uniform weights: mean error ≤ (n/(2s))/n = 1/(2s), plus float32 rounding of a value below 1.
        double bound = f.config.codec().sumErrorBound(5) / 5 + EPS32;
        assertTrue(worst <= bound, "max error " + worst + " > bound " + bound);
        assertTrue(worst > 0.5 / 32767 / 5, "quantisation error should be visible, max " + worst);
    }

    @Test
    void cappedWeightsGiveTheSampleWeightedMeanWithinItsBound() {
        // examples 10, 17, 24, 31, 38 are all below the cap: weights n_k/40, i.e. FedAvg's n_k/n.
        Federation f = new Federation(config(3, 0, 40), 5, 0.9, Set.of());
        double[] w = java.util.Arrays.stream(f.examples).asDoubleStream().map(n -> n / 40).toArray();
        double worst = worstError(f, w);
        double bound = f.config.codec().sumErrorBound(5) / java.util.Arrays.stream(w).sum() + EPS32;
        assertTrue(worst <= bound, "max error " + worst + " > bound " + bound);
    }

    /** The exact mean of the survivors' codes, as the server must obtain it. */
    private static double[] survivorsCodeMean(Federation f, List<Integer> survivors) {
        FixedPoint codec = f.config.codec();
        double[] mean = new double[Federation.A + Federation.B];
        for (int i = 0; i < mean.length; i++) {
            int ring = 0;
            for (int k : survivors) {
                ring += codec.encode(f.delta(k)[i]);
            }
            mean[i] = (float) (codec.decode(ring) / survivors.size());
        }
        return mean;
    }

    /** Coordinate by coordinate, exactly. */
    private static void assertSameBits(double[] expected, double[] actual) {
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], 0.0, "coordinate " + i);
        }
    }

    @Test
    void sumOfSurvivorsIsRecoveredExactlyWhenNMinusTClientsDropAfterSharing() {
        Federation f = new Federation(config(3, 0, 0), 6, 0.9, Set.of(1, 3, 5));
        Server server = f.server(1);
        RoundResult r = server.runRound(1);
        assertEquals(3.0, r.metrics().get("failed"));
        assertEquals(3.0, r.metrics().get("secagg_survivors"));
        assertEquals(3.0, r.metrics().get("secagg_dropped"));
        double[] expected = survivorsCodeMean(f, List.of(0, 2, 4));
        assertSameBits(expected, Federation.change(f.initial, server.global()));
    }

    /** Samples clients 0–3 of any population every round. */
    private static final class FirstFour implements org.fedgen.core.sampling.ClientSampler {
        @Override
        public List<Integer> sample(List<Integer> clientIds, long round, java.util.SplittableRandom random) {
            return clientIds.subList(0, 4);
        }

        @Override
        public double expectedClients(int populationSize) {
            return 4;
        }
    }

    private static Server firstFour(Federation f) {
        return Server.builder().initialState(f.initial).clients(f.proxies).aggregator(f.aggregator).rounds(1).seed(1)
                .sampler(new FirstFour()).build();
    }

    @Test
    void aMajorityThresholdFollowsTheSampledRound() {
        // t = 0: a majority of the 4 sampled of 7 clients, t = 3; a fixed majority of 7 (t = 4) would fail here.
        Federation f = new Federation(config(0, 0, 0), 7, 0.9, Set.of(2));
        Server server = firstFour(f);
        RoundResult r = server.runRound(1);
        assertEquals(3.0, r.metrics().get("secagg_survivors"));
        assertSameBits(survivorsCodeMean(f, List.of(0, 1, 3)), Federation.change(f.initial, server.global()));
        Federation two = new Federation(config(0, 0, 0), 7, 0.9, Set.of(1, 2));
        Server failing = firstFour(two);
        assertEquals(1.0, failing.runRound(1).metrics().get("aggregation_failed"));
        assertTrue(failing.global().bitEquals(two.initial.withRound(1)), "global state changed by a failed round");
    }

    @Test
    void aClientRefusesAThresholdBelowAMajorityOfItsShareHolders() {
        Federation f = new Federation(config(0, 0, 0), 5, 0.9, Set.of());
        List<SecAggMessage.PublicKeys> keys = new java.util.ArrayList<>();
        for (int k = 0; k < 5; k++) {
            keys.add((SecAggMessage.PublicKeys) f.channel.exchange(k, new SecAggMessage.AdvertiseRequest(1)));
        }
        List<SecAggMessage.PublicKeys> peers = keys.subList(1, 5);
        // 5 holders (itself and 4 peers): at least 3 shares must be needed.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.channel.exchange(0, new SecAggMessage.ShareKeysRequest(1, 2, peers)));
        assertTrue(e.getMessage().contains("at least a majority 3 of its 5 share holders"), e.getMessage());
        assertTrue(f.channel.exchange(0, new SecAggMessage.ShareKeysRequest(1, 3, peers))
                instanceof SecAggMessage.SharesOut);
    }

    @Test
    void sparseGraphRecoversTheSurvivorsSumExactly() {
        // SecAgg+: 9 clients on a 4-regular graph, each secret shared among 5 holders with t = 3.
        Federation f = new Federation(config(3, 4, 0), 9, 0.9, Set.of(2, 5));
        Server server = f.server(1);
        server.runRound(1);
        double[] expected = survivorsCodeMean(f, List.of(0, 1, 3, 4, 6, 7, 8));
        assertSameBits(expected, Federation.change(f.initial, server.global()));
    }

    @Test
    void belowTheThresholdTheRoundFailsAndTheModelIsKept() {
        Federation f = new Federation(config(4, 0, 0), 6, 0.9, Set.of(0, 1, 2));
        Server server = f.server(2);
        RoundResult r1 = server.runRound(1);
        assertEquals(1.0, r1.metrics().get("aggregation_failed"));
        assertTrue(server.global().bitEquals(f.initial.withRound(1)), "global state changed by a failed round");
        f.dropAfterSharing.clear();
        RoundResult r2 = server.runRound(2);
        assertEquals(null, r2.metrics().get("aggregation_failed"));
        double[] expected = survivorsCodeMean(f, List.of(0, 1, 2, 3, 4, 5));
        assertSameBits(expected, Federation.change(f.initial, server.global()));
    }

    @Test
    void aMalformedMaskedUpdateIsRejectedByTheServerAndCountsAsDropped() {
        Federation f = new Federation(config(3, 0, 0), 5, 0.9, Set.of());
        // Client 4 tampers with its masked update: part "a" is one value short.
        f.proxies.set(4, new TamperingProxy(f.proxies.get(4)));
        Server server = f.server(1);
        RoundResult r = server.runRound(1);
        assertEquals(1.0, r.metrics().get("rejected"));
        assertEquals(1.0, r.metrics().get("secagg_dropped"));
        double[] expected = survivorsCodeMean(f, List.of(0, 1, 2, 3));
        assertSameBits(expected, Federation.change(f.initial, server.global()));
    }

    @Test
    void clientRefusesToRevealBothSecretsOfOneClientOrToMaskTwice() {
        Federation f = new Federation(config(2, 0, 0), 3, 0.9, Set.of());
        FitInstructions ins = f.aggregator.configureRound(FitInstructions.builder().round(1).build(), f.initial,
                List.of(0, 1, 2));
        ClientUpdate masked = f.proxies.get(0).fit(f.initial, ins).join();
        ClientUpdate plain = new ClientUpdate(0, 1, 1, ins.payloadKind(), masked.parts(), Map.of());
        assertThrows(IllegalStateException.class, () -> f.secagg.get(0).mask(plain, f.initial));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.channel.exchange(0,
                new SecAggMessage.UnmaskRequest(1, List.of(0, 1), List.of(1, 2))));
        assertTrue(e.getMessage().contains("client 1 is named both survivor and dropped"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.channel.exchange(0,
                new SecAggMessage.UnmaskRequest(1, List.of(0), List.of(1, 2))));
    }

    @Test
    void maskedUpdateDropsTheClientsMetrics() {
        Federation f = new Federation(config(2, 0, 0), 3, 0.9, Set.of());
        FitInstructions ins = f.aggregator.configureRound(FitInstructions.builder().round(1).build(), f.initial,
                List.of(0, 1, 2));
        assertEquals(Map.of(), f.proxies.get(1).fit(f.initial, ins).join().metrics());
    }

    private static final class Inspecting implements Aggregator, InspectsIndividualUpdates {
        @Override
        public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
            return global;
        }

        @Override
        public String toString() {
            return "CoordinateMedian";
        }
    }

    @Test
    void rulesThatInspectIndividualUpdatesAreRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecureAggregation.of(config(2, 0, 0), new Inspecting(), 5, 1));
        assertTrue(e.getMessage().contains("secure aggregation") && e.getMessage().contains("CoordinateMedian"),
                e.getMessage());
        Aggregator routed = PartPolicy.builder().route(new Inspecting(), "b").otherwise(new FedAvg()).build();
        assertThrows(IllegalArgumentException.class, () -> SecureAggregation.of(config(2, 0, 0), routed, 5, 1));
        SecureAggregation.of(config(2, 0, 0), new FedAvg(), 5, 1);
    }

    @Test
    void setupRefusesAThresholdAboveThePopulationAndTooManyClientsForTheBits() {
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> SecureAggregation.of(config(6, 0, 0), new FedAvg(), 5, 1));
        assertTrue(t.getMessage().contains("threshold 6"), t.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> SecureAggregation.of(new SecAggConfig(2, 24, 1.0, 0, 0, 0), new FedAvg(), 257, 1));
        assertTrue(b.getMessage().contains("at most 256"), b.getMessage());
    }
}
