package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.Client;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.InProcessClientProxy;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.RoundResult;
import org.fedgen.core.Server;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.MmdAggregator;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.fedgen.core.privacy.PrivateOutputs;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.sampling.PoissonSampler;
import org.fedgen.privacy.RdpAccountant.Conversion;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DP-FedAvg inside the real round loop: per-round ε, the budget stop, checkpointed accounting, refused setups. */
class DpRunWiringTest {
    private static final int POPULATION = 40;
    private static final double Q = 0.25;
    private static final double Z = 1.1;
    private static final double DELTA = 1e-3;

    /** Moves every part it is asked to send by +0.01. */
    private record StepClient(int id) implements Client {
        @Override
        public long numExamples() {
            return 5;
        }

        @Override
        public ClientUpdate fit(ModelState global, FitInstructions ins) {
            Map<String, INDArray> parts = new LinkedHashMap<>();
            for (String p : ins.sendParts().isEmpty() ? global.partNames() : ins.sendParts()) {
                parts.put(p, global.part(p).add(0.01));
            }
            return new ClientUpdate(id, ins.round(), 5, ins.payloadKind(), parts, Map.of());
        }

        @Override
        public Map<String, Double> evaluate(ModelState global, EvalInstructions ins) {
            return Map.of();
        }
    }

    private static ModelState model() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("encoder", Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3));
        m.put("decoder", Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4));
        return ModelState.of(0, m);
    }

    private static PrivacyLedger ledger() {
        return new PrivacyLedger(new RdpAccountant(RdpAccountant.defaultOrders(), POPULATION), DELTA,
                Conversion.TIGHT);
    }

    private static DpFedAvg dp(PrivacyLedger ledger) {
        return DpFedAvg.builder().clipNorm(0.5).noiseMultiplier(Z).noiseMode(NoiseMode.SECURE).ledger(ledger).build();
    }

    private static Server server(Aggregator aggregator, int rounds, PrivacyBudget budget, List<RoundResult> sink,
            ModelState initial) {
        List<InProcessClientProxy> clients = new ArrayList<>();
        for (int i = 0; i < POPULATION; i++) {
            clients.add(new InProcessClientProxy(new StepClient(i), Runnable::run));
        }
        Server.Builder b = Server.builder().initialState(initial).clients(clients).aggregator(aggregator)
                .sampler(new PoissonSampler(Q)).rounds(rounds).seed(7).listener(sink::add)
                .privateOutputs(PrivateOutputs.standard());
        if (budget != null) {
            b.listener(budget);
        }
        return b.build();
    }

    @Test
    void epsilonEachRoundIsTheAccountantsValueAfterThatManyRounds() {
        PrivacyLedger ledger = ledger();
        PartPolicy policy = PartPolicy.builder().localOnly("encoder").route(dp(ledger), "decoder").build();
        List<RoundResult> results = new ArrayList<>();
        server(policy, 4, null, results, model()).run();
        assertEquals(4, results.size());
        for (RoundResult r : results) {
            RdpAccountant.PrivacySpent expected = new RdpAccountant().steps(Q, Z, r.round()).epsilon(DELTA);
            assertEquals(expected.epsilon(), r.metric("epsilon"), 0.0, "round " + r.round());
            assertEquals(expected.order(), r.metric("dp_order"), 0.0);
            assertEquals(Q, r.metric("dp_q"), 0.0);
        }
        assertEquals(4, ledger.rounds());
    }

    @Test
    void budgetStopsBeforeTheRoundThatWouldExceedIt() {
        double target = 4.0;
        long allowed = new RdpAccountant().roundsWithin(target, DELTA, Q, Z);
        assertTrue(allowed >= 2 && allowed < 200, "test needs a budget of a few rounds, got " + allowed);
        PrivacyLedger ledger = ledger();
        PrivacyBudget budget = new PrivacyBudget(ledger, target, Q, Z);
        List<RoundResult> results = new ArrayList<>();
        server(dp(ledger), (int) allowed + 10, budget, results, model()).run();
        assertEquals(allowed, results.size());
        assertTrue(budget.exhausted());
        assertTrue(results.get(results.size() - 1).metric("epsilon") <= target);
        assertTrue(new RdpAccountant().steps(Q, Z, allowed + 1).epsilon(DELTA).epsilon() > target);
    }

    @Test
    void aBudgetThatOneRoundExceedsRunsNoRound() {
        PrivacyLedger ledger = ledger();
        List<RoundResult> results = new ArrayList<>();
        PrivacyBudget budget = new PrivacyBudget(ledger, 0.01, Q, Z);
        server(dp(ledger), 5, budget, results, model()).run();
        assertTrue(results.isEmpty());
        assertTrue(budget.exhausted());
    }

    @Test
    void checkpointedAccountingResumesWhereItStopped() {
        PrivacyLedger first = ledger();
        DpFedAvg a = dp(first);
        List<RoundResult> results = new ArrayList<>();
        ModelState after3 = server(ServerOptimizer.fedAvgM(a, 1.0, 0.5), 3, null, results, model()).run();
        Map<String, INDArray> saved = a.state();

        DpFedAvg b = dp(ledger());
        b.restoreState(saved);
        assertEquals(3, b.ledger().rounds());
        assertEquals(first.spent().epsilon(), b.ledger().spent().epsilon(), 0.0, "bit-exact");
        List<RoundResult> resumed = new ArrayList<>();
        server(b, 5, null, resumed, after3).run();
        assertEquals(List.of(4L, 5L), resumed.stream().map(RoundResult::round).toList());
        assertEquals(new RdpAccountant().steps(Q, Z, 5).epsilon(DELTA).epsilon(), resumed.get(1).metric("epsilon"),
                1e-12);
        assertThrows(IllegalStateException.class, () -> b.ledger().charge(4, Q, Z));
    }

    @Test
    void ledgerStateRoundTripsBitExactThroughACheckpointsFloat32State() {
        PrivacyLedger l = ledger();
        l.charge(1, 0.013, 0.87);
        l.charge(2, 0.02, 1.3);
        PrivacyLedger r = ledger();
        r.restoreState(l.state());
        double[] want = l.accountant().totalRdp();
        double[] got = r.accountant().totalRdp();
        assertArrayEquals(want, got, 0.0, "bit-exact");
        assertEquals(l.rounds(), r.rounds());
        assertThrows(IllegalArgumentException.class, () -> r.restoreState(Map.of()));
    }

    @Test
    void fixedSizeSamplingIsRefusedUnlessTheApproximationIsAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DpChecks.requirePoissonSampling(FixedSizeSampler.count(10), false));
        assertTrue(e.getMessage().contains("Poisson") && e.getMessage().contains("--dp-allow-fixed-size-sampling"),
                e.getMessage());
        DpChecks.requirePoissonSampling(FixedSizeSampler.count(10), true);
        DpChecks.requirePoissonSampling(new PoissonSampler(0.1), false);
    }

    @Test
    void mmdOnASentPartIsRefusedInADpRun() {
        PartPolicy policy = PartPolicy.builder().route(new MmdAggregator(), "decoder").otherwise(dp(ledger()))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DpChecks.requireCompatible(policy, model()));
        assertTrue(e.getMessage().contains("'decoder'") && e.getMessage().contains("MmdAggregator"),
                e.getMessage());
    }

    @Test
    void policyOverloadAcceptsDecoderOnlyDpAndRefusesAnUnprotectedSentPart() {
        DpChecks.requireCompatible(PartPolicy.builder().localOnly("encoder").route(dp(ledger()), "decoder").build(),
                model());
        PartPolicy leaky = PartPolicy.builder().route(dp(ledger()), "decoder").otherwise(new FedAvg()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DpChecks.requireCompatible(leaky, model()));
        assertTrue(e.getMessage().contains("'encoder'"), e.getMessage());
        assertFalse(e.getMessage().contains("'decoder'"), e.getMessage());
    }

    @Test
    void findsTheDpAggregatorsOfAPolicyOnce() {
        DpFedAvg d = dp(ledger());
        PartPolicy p = PartPolicy.builder().route(ServerOptimizer.fedAvgM(d, 1, 0.9), "decoder").route(d, "encoder")
                .build();
        assertEquals(List.of(d), DpChecks.dpAggregators(p));
        assertEquals(List.of(), DpChecks.dpAggregators(new FedAvg()));
    }
}
