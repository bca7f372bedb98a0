package org.fedgen.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PartVectorsTest {
    private final INDArray a = Nd4j.createFromArray(1f, 2f);
    private final INDArray b = Nd4j.createFromArray(3f, 4f, 5f);
    private final PartVectors parts = PartVectors.of("M", "a", a, "b", b);

    @Test
    void stateHoldsCopiesInDeclarationOrder() {
        ModelState s = parts.state();
        assertEquals(List.of("a", "b"), List.copyOf(s.partNames()));
        a.putScalar(0, 9f);
        assertArrayEquals(new float[] {1f, 2f}, s.part("a").toFloatVector(), 0f);
        assertEquals(List.of("a", "b"), parts.names());
    }

    @Test
    void loadWritesThePartsTheStateHoldsAndKeepsTheOthers() {
        parts.load(ModelState.builder(0).part("b", Nd4j.createFromArray(7f, 8f, 9f)).build());
        assertArrayEquals(new float[] {7f, 8f, 9f}, b.toFloatVector(), 0f);
        assertArrayEquals(new float[] {1f, 2f}, a.toFloatVector(), 0f);
    }

    @Test
    void aBadStateIsRefusedBeforeAnythingIsWritten() {
        ModelState bad = ModelState.builder(0).part("a", Nd4j.createFromArray(6f, 6f))
                .part("b", Nd4j.createFromArray(1f)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parts.load(bad));
        assertEquals("part 'b' has length 1 but this M expects 3", e.getMessage());
        assertArrayEquals(new float[] {1f, 2f}, a.toFloatVector(), 0f, "the good part was not written either");
        e = assertThrows(IllegalArgumentException.class,
                () -> parts.load(ModelState.builder(0).part("c", Nd4j.createFromArray(1f)).build()));
        assertEquals("unknown part 'c'; M parts are [a, b]", e.getMessage());
    }

    @Test
    void trainPartsMustNameExistingParts() {
        parts.checkTrainParts(FitInstructions.builder().trainParts(Set.of("b")).build());
        parts.checkTrainParts(FitInstructions.builder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parts.checkTrainParts(FitInstructions.builder().trainParts(Set.of("z")).build()));
        assertEquals("unknown part 'z' in trainParts; M parts are [a, b]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PartVectors.of("M", "a", a, "a", b));
        assertThrows(IllegalArgumentException.class, () -> PartVectors.of("M", "a"));
    }
}
