package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ControlParts;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScaffoldTest {
    /** Round 1 of a population of 4, two of them sampled. */
    private static final RoundContext CTX = new RoundContext(1, 0, 4, 2, List.of(0, 1));

    private static ModelState w(float... v) {
        return ModelState.of(0, Map.of("w", Nd4j.createFromArray(v)));
    }

    private static ClientUpdate update(int id, long n, float[] dy, float[] dc) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("w", Nd4j.createFromArray(dy));
        p.put(ControlParts.of("w"), Nd4j.createFromArray(dc));
        return new ClientUpdate(id, 1, n, PayloadKind.DELTA, p, Map.of());
    }

    private static final List<ClientUpdate> UPDATES = List.of(update(0, 1, new float[] {4, 0}, new float[] {8, -4}),
            update(1, 3, new float[] {0, 4}, new float[] {0, 4}));

    @Test
    void stepsTheModelByTheServerRateAndTheControlByTheSampledShare() {
        Scaffold s = new Scaffold(2.0);
        FitInstructions first = s.configureFit(FitInstructions.builder().build(), w(1, 1));
        assertEquals(PayloadKind.DELTA, first.payloadKind());
        assertArrayEquals(new float[] {0, 0}, first.serverControl().get("w").toFloatVector());
        ModelState next = s.aggregate(w(1, 1), UPDATES, CTX);
        // p = (1/4, 3/4): mean Δy = (1, 3), x = (1, 1) + 2·(1, 3) = (3, 7);
        // mean Δc = (2, −1 + 3) = (2, 2), c = 0 + (2/4)·(2, 2) = (1, 1)
        assertArrayEquals(new float[] {3, 7}, next.part("w").toFloatVector());
        assertArrayEquals(new float[] {1, 1}, s.control().get("w").toFloatVector());
        assertEquals(Math.sqrt(2), CTX.metrics().get(Scaffold.METRIC), 1e-7);
        // The next round sends the new c; the arrays the earlier instructions carried are left alone.
        assertArrayEquals(new float[] {1, 1}, s.configureFit(FitInstructions.builder().build(), next)
                .serverControl().get("w").toFloatVector());
        assertArrayEquals(new float[] {0, 0}, first.serverControl().get("w").toFloatVector());
    }

    @Test
    void withNoExamplesNothingMoves() {
        Scaffold s = new Scaffold(1.0);
        ModelState g = w(1, 2);
        assertTrue(g == s.aggregate(g, List.of(), CTX));
        assertArrayEquals(new float[] {0, 0}, s.control().get("w").toFloatVector());
    }

    @Test
    void theServerControlSurvivesAStateRoundTrip() {
        Scaffold s = new Scaffold(1.0);
        s.aggregate(w(1, 1), UPDATES, CTX);
        Map<String, INDArray> state = s.state();
        assertEquals(List.of("scaffold/c/w"), List.copyOf(state.keySet()));
        Scaffold restored = new Scaffold(1.0);
        restored.restoreState(state);
        ModelState a = s.aggregate(w(3, 7), UPDATES, CTX);
        ModelState b = restored.aggregate(w(3, 7), UPDATES, CTX);
        assertTrue(a.bitEquals(b));
        assertArrayEquals(s.control().get("w").toFloatVector(), restored.control().get("w").toFloatVector());
    }

    @Test
    void refusesStateThatIsNotAFiniteControl() {
        Scaffold s = new Scaffold(1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.restoreState(Map.of("m/w", Nd4j.createFromArray(1f))));
        assertEquals("SCAFFOLD state has an unknown entry 'm/w'; expected scaffold/c/<part>", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> s.restoreState(Map.of("scaffold/c/w", Nd4j.createFromArray(Float.NaN))));
        assertEquals("SCAFFOLD state entry 'scaffold/c/w' must be a finite float32 vector", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Scaffold(0));
        assertThrows(IllegalArgumentException.class, () -> new Scaffold(Double.POSITIVE_INFINITY));
    }
}
