package org.fedgen.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.SplittableRandom;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ProximalTermTest {

    private static FitInstructions mu(double mu) {
        return FitInstructions.builder().proximalMu(mu).build();
    }

    private static ModelState anchor(String part, INDArray v) {
        return ModelState.builder(0).part(part, v).build();
    }

    /** grad + μ(w − w_t) = [0.5 + 0.25·0.5, −1 + 0.25·(−1), 2 + 0.25·0] (every value exact in float). */
    @Test
    void addsMuTimesTheDistanceToTheAnchorByHand() {
        INDArray w = Nd4j.createFromArray(1f, 3f, -2f);
        ProximalTerm term = new ProximalTerm("p", w);
        term.prepare(mu(0.25), anchor("p", Nd4j.createFromArray(0.5f, 4f, -2f)));
        assertTrue(term.active());
        INDArray grad = Nd4j.createFromArray(0.5f, -1f, 2f);
        term.addTo(grad);
        assertArrayEquals(new float[] {0.625f, -1.25f, 2f}, grad.toFloatVector(), 0f);
        assertArrayEquals(new float[] {1f, 3f, -2f}, w.toFloatVector(), 0f, "parameters are not touched");
        // the scratch vector is reused: a second call on the same gradient adds the term again
        term.addTo(grad);
        assertArrayEquals(new float[] {0.75f, -1.5f, 2f}, grad.toFloatVector(), 0f);
    }

    /**
     * On random vectors every element is g + float(float(μ) · (w − w_t)), each operation rounded to float as Java's
     * float arithmetic does it: the bits do not depend on how a BLAS kernel would fuse the multiply-add.
     */
    @Test
    void everyElementIsTheCorrectlyRoundedSubtractMultiplyAdd() {
        int n = 10_001;
        SplittableRandom r = new SplittableRandom(4);
        float[] w = new float[n];
        float[] a = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
            a[i] = w[i] + (float) (0.01 * r.nextGaussian());
            g[i] = (float) r.nextGaussian();
        }
        double mu = 0.1;
        ProximalTerm term = new ProximalTerm("p", Nd4j.createFromArray(w));
        term.prepare(mu(mu), anchor("p", Nd4j.createFromArray(a)));
        INDArray grad = Nd4j.createFromArray(g);
        term.addTo(grad);
        float[] got = grad.toFloatVector();
        float muF = (float) mu;
        for (int i = 0; i < n; i++) {
            float expected = g[i] + muF * (w[i] - a[i]);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got[i]), "element " + i);
        }
    }

    @Test
    void isOffWhenMuIsZeroOrThePartIsNotTrained() {
        INDArray w = Nd4j.createFromArray(1f, 2f);
        ProximalTerm term = new ProximalTerm("p", w);
        INDArray grad = Nd4j.createFromArray(3f, 4f);
        term.prepare(mu(0), null);
        assertFalse(term.active());
        term.addTo(grad);
        assertArrayEquals(new float[] {3f, 4f}, grad.toFloatVector(), 0f);
        term.prepare(mu(1).toBuilder().trainParts(Set.of("other")).build(), null);
        assertFalse(term.active());
        // armed once, then disarmed by the next fit's instructions
        term.prepare(mu(1), anchor("p", Nd4j.zeros(DataType.FLOAT, 2)));
        assertTrue(term.active());
        term.prepare(mu(0), null);
        term.addTo(grad);
        assertArrayEquals(new float[] {3f, 4f}, grad.toFloatVector(), 0f);
    }

    @Test
    void aMissingOrMisshapedAnchorIsRefusedNamingThePart() {
        ProximalTerm term = new ProximalTerm("decoder", Nd4j.zeros(DataType.FLOAT, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> term.prepare(mu(0.5), null));
        assertTrue(e.getMessage().contains("anchor") && e.getMessage().contains("'decoder'")
                && e.getMessage().contains("0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> term.prepare(mu(0.5), anchor("encoder", Nd4j.zeros(DataType.FLOAT, 3))));
        assertTrue(e.getMessage().contains("'decoder'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> term.prepare(mu(0.5), anchor("decoder", Nd4j.zeros(DataType.FLOAT, 2))));
        assertTrue(e.getMessage().contains("length 2") && e.getMessage().contains("3"), e.getMessage());
    }
}
