package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionalAccuracyTest {
    @Test
    void agreementCountsRequestedLabelsTheClassifierConfirms() {
        int[] requested = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
        int[] predicted = {0, 1, 1, 0, 2, 2, 5, 1, 0, 0};
        Map<String, Double> m = ConditionalAccuracy.agreement(requested, predicted, 3);
        // hits: class 0: 3 of 4, class 1: 2 of 3, class 2: 1 of 3
        assertEquals(6 / 10.0, m.get("cond_accuracy"), 0);
        assertEquals(1 / 3.0, m.get("cond_min_class_accuracy"), 0);
    }

    @Test
    void rejectsMismatchedCounts() {
        assertThrows(IllegalArgumentException.class, () -> ConditionalAccuracy.agreement(new int[2], new int[3], 3));
    }
}
