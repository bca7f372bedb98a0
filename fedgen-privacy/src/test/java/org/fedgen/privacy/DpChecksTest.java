package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.aggregate.AggregatorDecorator;
import org.fedgen.core.aggregate.FedExp;
import org.fedgen.core.aggregate.InspectsIndividualUpdates;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.junit.jupiter.api.Test;

class DpChecksTest {
    private static final Aggregator PLAIN = (global, updates, context) -> global;

    /** Stands in for a robust filter (Krum, median, ...) wrapped around DP-FedAvg. */
    private record Filter(Aggregator inner) implements Aggregator, AggregatorDecorator, InspectsIndividualUpdates {
        @Override
        public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
            return inner.aggregate(global, updates, context);
        }
    }

    private static DpFedAvg dp() {
        return DpFedAvg.builder().clipNorm(1).noiseMultiplier(1).build();
    }

    @Test
    void acceptsDpFedAvgAloneAndUnderAServerOptimizer() {
        assertDoesNotThrow(() -> DpChecks.requireCompatible(dp(), List.of("encoder", "decoder")));
        Aggregator adam = ServerOptimizer.fedAdam(dp(), 0.01, 0.9, 0.99, 1e-3);
        assertDoesNotThrow(() -> DpChecks.requireCompatible(adam, List.of("decoder")));
    }

    @Test
    void acceptsAPolicyWhoseUnprotectedPartsNeverLeaveTheClients() {
        // DP-FedAvg-GAN: D is protected, G is trained on the server; DPD-fVAE: the encoder stays local
        assertDoesNotThrow(() -> DpChecks.requireCompatible(Map.of("discriminator", dp()), PLAIN, Set.of(),
                Set.of("generator"), List.of("generator", "discriminator")));
        assertDoesNotThrow(() -> DpChecks.requireCompatible(Map.of(), dp(), Set.of("encoder"), Set.of(),
                List.of("encoder", "decoder")));
    }

    @Test
    void refusesASentPartWithoutDp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DpChecks.requireCompatible(
                Map.of("discriminator", dp()), PLAIN, Set.of(), Set.of(), List.of("generator", "discriminator")));
        assertTrue(e.getMessage().contains("'generator'"), e.getMessage());
    }

    @Test
    void refusesRulesThatLookAtIndividualUpdatesAroundDp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DpChecks.requireCompatible(new Filter(dp()), List.of("decoder")));
        assertTrue(e.getMessage().contains("Filter"), e.getMessage());
        Aggregator adamOverFilter = ServerOptimizer.fedAvgM(new Filter(dp()), 1.0, 0.9);
        assertThrows(IllegalArgumentException.class,
                () -> DpChecks.requireCompatible(adamOverFilter, List.of("decoder")));
        assertThrows(IllegalArgumentException.class, () -> DpChecks.requireCompatible(Map.of()));
    }

    @Test
    void refusesFedExpAroundDpBecauseItsStepReadsEachUpdatesNorm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DpChecks.requireCompatible(new FedExp(dp(), FedExp.DEFAULT_EPSILON), List.of("decoder")));
        assertTrue(e.getMessage().contains("FedExp"), e.getMessage());
    }
}
