package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedgen.core.RoundResult;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.Simulation;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecureAggregation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** DP through {@link PrivateFederation} with secure aggregation: the same ledger, the same private outputs. */
class SecureDpFederationTest {
    private static final int[] SIZES = {37, 41, 43, 47, 53, 59, 61, 67};
    private static final double Z = 1.3;
    private static final double DELTA = 1e-3;
    private static final double CLIP = 0.05;

    private static Simulation.Builder simulation() {
        List<Dataset> shards = new ArrayList<>();
        for (int n : SIZES) {
            shards.add(Dataset.unlabelled(Nd4j.zeros(DataType.FLOAT, n, 2)));
        }
        return Simulation.builder().model(ShiftModel::new).clientData(shards).rounds(4).seed(3);
    }

    private static DpSettings.Builder settings() {
        // q = 1: every client every round, so no round can fall below the secure-aggregation threshold.
        return DpSettings.builder().noiseMultiplier(Z).clipNorm(CLIP).delta(DELTA).samplingRate(1.0)
                .noiseMode(NoiseMode.SEEDED);
    }

    private static List<RoundResult> run(Simulation.Builder b) {
        List<RoundResult> results = new ArrayList<>();
        try (Simulation sim = b.listener(results::add).build()) {
            sim.run();
        }
        return results;
    }

    @Test
    void theLedgerChargesExactlyWhatPlainDpFedAvgChargesAndOnlyPrivateOutputsArePublished() {
        PrivateFederation plain = PrivateFederation.of(settings().build(), SIZES.length);
        List<RoundResult> p = run(plain.applyTo(simulation()));

        SecAggConfig config = new SecAggConfig(5, 16, 1.0, 0, CLIP, 0);
        PrivateFederation dp = PrivateFederation.of(settings().secureSum(1 / (2 * config.codec().scale())).build(),
                SIZES.length);
        SecureAggregation secagg = SecureAggregation.of(config, dp.aggregator(), SIZES.length, 3);
        List<RoundResult> s = run(dp.applyTo(simulation().clientLayer(secagg.clientLayer()), secagg.aggregator()));

        assertEquals(4, s.size());
        // Seeded noise (for a repeatable test) makes ε a number that is not a guarantee, published under its own name.
        String eps = dp.ledger().epsilonMetricName();
        assertEquals(plain.ledger().epsilonMetricName(), eps);
        Set<String> allowed = Set.of("round", "dp_clip_norm", "dp_sensitivity", "dp_noise_std", eps, "dp_order",
                "dp_delta", "dp_q");
        for (int r = 0; r < 4; r++) {
            assertEquals(new RdpAccountant().steps(1.0, Z, r + 1).epsilon(DELTA).epsilon(), s.get(r).metric(eps), 0.0,
                    "round " + (r + 1) + ": " + s.get(r).metrics());
            assertEquals(p.get(r).metric(eps), s.get(r).metric(eps), 0.0);
            assertTrue(allowed.containsAll(s.get(r).metrics().keySet()), "published " + s.get(r).metrics().keySet());
            assertTrue(s.get(r).metrics().containsKey("dp_sensitivity"));
            for (double v : s.get(r).metrics().values()) {
                assertTrue(v != ShiftModel.LOSS, "the clients' loss was published");
                for (int n : SIZES) {
                    assertTrue(v != n, "a shard size was published: " + s.get(r).metrics());
                }
            }
        }
        assertEquals(plain.ledger().spent().epsilon(), dp.ledger().spent().epsilon(), 0.0);
        assertEquals(4, dp.ledger().rounds());
    }
}
