package org.fedgen.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedgen.core.FitInstructions;
import org.junit.jupiter.api.Test;

class StepPlanTest {

    private static FitInstructions.Builder in(int epochs, int steps, int batch) {
        return FitInstructions.builder().localEpochs(epochs).localSteps(steps).batchSize(batch);
    }

    @Test
    void positiveLocalStepsWinOverEpochs() {
        assertEquals(new StepPlan(8, 7), StepPlan.of(in(5, 7, 8).build(), 20));
        assertEquals(new StepPlan(8, 7), StepPlan.of(in(5, 7, 8).build(), 20, 3));
    }

    @Test
    void epochsGiveEpochsTimesBatchesPerEpochDividedByBatchesPerStepRoundedUp() {
        // n = 20, B = 8: ⌈20/8⌉ = 3 batches per epoch; 2 epochs = 6 steps
        assertEquals(new StepPlan(8, 6), StepPlan.of(in(2, 0, 8).build(), 20));
        // n = 40, B = 8: 5 batches per epoch; 2 epochs = 10 batches = 5 steps of 2 batches
        assertEquals(new StepPlan(8, 5), StepPlan.of(in(2, 0, 8).build(), 40, 2));
        // 3 epochs = 15 batches = ⌈15/2⌉ = 8 steps of 2 batches
        assertEquals(new StepPlan(8, 8), StepPlan.of(in(3, 0, 8).build(), 40, 2));
        // 1 epoch of 1 batch with 5 batches per step still takes one step
        assertEquals(new StepPlan(3, 1), StepPlan.of(in(1, 0, 64).build(), 3, 5));
    }

    @Test
    void batchSizeIsCappedAtTheNumberOfExamples() {
        assertEquals(new StepPlan(5, 1), StepPlan.of(in(1, 0, 64).build(), 5));
        assertEquals(3, StepPlan.batchesPerEpoch(10, 4));
        assertEquals(1, StepPlan.batchesPerEpoch(10, 10));
        assertEquals(4_294_967_294L, StepPlan.batchesPerEpoch(Integer.MAX_VALUE, 1) * 2);
    }

    @Test
    void zeroStepsAndBadArgumentsAreRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StepPlan.of(in(0, 0, 8).build(), 20));
        assertTrue(e.getMessage().contains("localSteps > 0 or localEpochs > 0")
                && e.getMessage().contains("epochs=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StepPlan.of(in(1, 0, 8).build(), 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StepPlan.of(in(1, 0, 8).build(), 4, 0));
        assertTrue(e.getMessage().contains("batchesPerStep must be >= 1, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StepPlan(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new StepPlan(1, 0));
    }
}
