package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The audit's bound stays below the accountant's ε for DP-FedAvg and exceeds it when the noise is cut to a tenth. */
class PrivacyAuditTest {
    private static PrivacyAudit.Config config(double noiseScale) {
        return new PrivacyAudit.Config(1000, 1.0, noiseScale, 5, 4, 1e-5, 0.95, 3);
    }

    @Test
    void theRealMechanismsLowerBoundStaysBelowTheAccountantsEpsilon() {
        PrivacyAudit.Result r = PrivacyAudit.run(config(1.0));
        assertEquals(new RdpAccountant().step(1, 1).epsilon(1e-5).epsilon(), r.epsilonClaimed(), 0.0);
        assertFalse(r.violates(), "lower bound " + r.epsilonLower() + " vs claimed " + r.epsilonClaimed());
        // The distinguisher is not useless: the canary shifts the output by S = zS, one noise std.
        assertTrue(r.epsilonLower() > 0.3, "lower bound " + r.epsilonLower());
    }

    @Test
    void aTenthOfTheNoiseIsCaughtByTheAudit() {
        PrivacyAudit.Result r = PrivacyAudit.run(config(0.1));
        assertTrue(r.violates(), "lower bound " + r.epsilonLower() + " vs claimed " + r.epsilonClaimed());
    }

    @Test
    void clopperPearsonBoundsMatchTheirClosedForms() {
        // 0 of n: the upper bound solves (1 − p)^n = β, p = 1 − β^(1/n).
        assertEquals(1 - Math.pow(0.05, 1.0 / 2000), PrivacyAudit.upperBound(0, 2000, 0.05), 1e-12);
        // n of n: the lower bound solves p^n = β.
        assertEquals(Math.pow(0.05, 1.0 / 50), PrivacyAudit.lowerBound(50, 50, 0.05), 1e-12);
        assertEquals(1.0, PrivacyAudit.upperBound(7, 7, 0.05), 0.0);
        // Zero errors of 2000 each at β = 0.05: log((1 − δ − p)/p) with p = 1 − 0.025^(1/2000).
        double p = 1 - Math.pow(0.025, 1.0 / 2000);
        assertEquals(Math.log((1 - 1e-5 - p) / p), PrivacyAudit.epsilonLower(0, 0, 2000, 1e-5, 0.05), 1e-9);
        assertEquals(0.0, PrivacyAudit.epsilonLower(1000, 1000, 2000, 1e-5, 0.05), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new PrivacyAudit.Config(10, 1, 1, 10, 4, 1e-5, 0.95, 1));
    }
}
