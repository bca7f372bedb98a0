package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedgen.privacy.RdpAccountant.Conversion;
import org.fedgen.privacy.RecordLevelLedger.ClientPlan;
import org.junit.jupiter.api.Test;

/** Per-client record-level accounting against an independent RDP computation. */
class RecordLevelLedgerTest {
    private static final double SIGMA = 1.1;
    private static final double DELTA = 1e-5;

    /**
     * The integer-order bound of the Poisson-subsampled Gaussian (Mironov, Talwar and Zhang 2019, Sec. 3.3):
     * RDP(α) = log Σ_{i=0..α} C(α, i) (1 − q)^{α−i} q^i exp((i² − i) / (2σ²)) / (α − 1), by log-sum-exp; composed
     * over T steps as T·RDP(α); converted with ε = min_α T·RDP(α) + log((α − 1)/α) − (log δ + log α)/(α − 1)
     * (Balle et al. 2020) over α = 2 … 64. Written here from the formula, independent of SampledGaussianRdp.
     */
    private static double independentEpsilon(double q, double sigma, long steps, double delta) {
        double best = Double.POSITIVE_INFINITY;
        for (int alpha = 2; alpha <= 64; alpha++) {
            double[] terms = new double[alpha + 1];
            double max = Double.NEGATIVE_INFINITY;
            double logBinom = 0;
            for (int i = 0; i <= alpha; i++) {
                if (i > 0) {
                    logBinom += Math.log(alpha - i + 1) - Math.log(i);
                }
                terms[i] = logBinom + (alpha - i) * Math.log1p(-q) + i * Math.log(q) + (i * (double) i - i)
                        / (2 * sigma * sigma);
                max = Math.max(max, terms[i]);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            double rdp = steps * (max + Math.log(sum)) / (alpha - 1);
            double eps = rdp + Math.log((alpha - 1.0) / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
            best = Math.min(best, eps);
        }
        return best;
    }

    /**
     * Three clients of 1000, 2500 and 400 records with B = 64 (q_k = B/n_k) and one local epoch per round
     * (⌈n_k/B⌉ steps), five rounds of which client 2 sits out two: each client's ε equals the independent integer-order
     * computation of (q_k, σ, its total steps) within 1 % (the accountant's finer order grid may only make it smaller),
     * and the reported maximum is the largest of the three.
     */
    @Test
    void eachClientsEpsilonMatchesAnIndependentRdpComputation() {
        int[] n = {1000, 2500, 400};
        Map<Integer, ClientPlan> plans = Map.of(0, new ClientPlan(64.0 / n[0], 16), 1, new ClientPlan(64.0 / n[1], 40),
                2, new ClientPlan(64.0 / n[2], 7));
        RecordLevelLedger ledger = new RecordLevelLedger(plans, SIGMA, DELTA, Conversion.TIGHT);
        for (int r = 0; r < 5; r++) {
            ledger.charge(r < 3 ? List.of(0, 1, 2) : List.of(0, 1));
        }
        long[] steps = {5 * 16, 5 * 40, 3 * 7};
        double max = 0;
        for (int k = 0; k < 3; k++) {
            double expected = independentEpsilon(64.0 / n[k], SIGMA, steps[k], DELTA);
            double actual = ledger.spent(k).epsilon();
            assertTrue(actual <= expected * (1 + 1e-9), "client " + k + ": " + actual + " above " + expected);
            assertEquals(expected, actual, 0.01 * expected, "client " + k);
            max = Math.max(max, actual);
        }
        assertEquals(max, ledger.metrics().get(RecordLevelLedger.MAX_EPSILON), 0.0);
        assertEquals(ledger.spent(1).epsilon(), ledger.metrics().get("record_epsilon_1"), 0.0);
    }

    /** A caveat renames every ε metric so no bare number is published as a guarantee. */
    @Test
    void caveatsLabelTheEpsilonAsNotAGuarantee() {
        RecordLevelLedger ledger = new RecordLevelLedger(Map.of(0, new ClientPlan(0.1, 10)), SIGMA, DELTA,
                Conversion.TIGHT);
        ledger.charge(List.of(0));
        ledger.caveat("seeded batch sampling");
        assertFalse(ledger.isGuarantee());
        Map<String, Double> m = ledger.metrics();
        assertTrue(m.containsKey(RecordLevelLedger.MAX_EPSILON_UNPROVEN) && m.containsKey(
                "record_epsilon_0_not_a_guarantee") && !m.containsKey(RecordLevelLedger.MAX_EPSILON), m.toString());
        assertTrue(ledger.describe().contains("NOT A GUARANTEE: seeded batch sampling"), ledger.describe());
    }

    /** The budget admits a round exactly when every client training once more keeps the maximum within it. */
    @Test
    void budgetStopsBeforeTheRoundThatWouldExceedTheTarget() {
        RecordLevelLedger ledger = new RecordLevelLedger(Map.of(0, new ClientPlan(0.05, 20), 1,
                new ClientPlan(0.1, 10)), SIGMA, DELTA, Conversion.TIGHT);
        RecordLevelBudget budget = new RecordLevelBudget(ledger, 3.0);
        int rounds = 0;
        while (budget.beforeRound(rounds + 1)) {
            ledger.charge(List.of(0, 1));
            rounds++;
        }
        assertTrue(rounds > 0);
        assertTrue(ledger.maxEpsilon() <= 3.0, "spent " + ledger.maxEpsilon());
        assertTrue(ledger.maxEpsilonAfterOneMoreRound() > 3.0);
    }
}
