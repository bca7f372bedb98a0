package org.fedgen.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedgen.core.DriftCorrection;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.models.optim.FlatAdam;
import org.fedgen.models.optim.FlatSgd;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PartUpdaterTest {

    /**
     * SGD with lr 0.25 and μ = 0.5 towards the anchor (0, 0): g' = g + 0.5 w = [0.5 + 0.5, −1 + 1] = [1, 0], so
     * w = [1 − 0.25, 2 − 0] = [0.75, 2]; the observer sees g' before the step. All values are exact in float.
     */
    @Test
    void oneStepAddsTheProximalTermThenLetsTheOptimiserStep() {
        INDArray w = Nd4j.createFromArray(1f, 2f);
        INDArray g = Nd4j.createFromArray(0.5f, -1f);
        PartUpdater u = new PartUpdater("p", w, g, new FlatSgd(2));
        List<float[]> seen = new ArrayList<>();
        u.observeGradients(x -> seen.add(x.toFloatVector()));
        u.begin(FitInstructions.builder().proximalMu(0.5).build(),
                ModelState.builder(0).part("p", Nd4j.createFromArray(0f, 0f)).build());
        u.step(0.25);
        assertArrayEquals(new float[] {0.75f, 2f}, w.toFloatVector(), 0f);
        assertEquals(1, seen.size());
        assertArrayEquals(new float[] {1f, 0f}, seen.get(0), 0f);
    }

    /**
     * SCAFFOLD's correction enters before the proximal term and the optimiser: c − c_i = (1, 0.5) − (0.5, 1.5) =
     * (0.5, −1); g = (0.5, −1) → g + (c − c_i) = (1, −2), + μ w with μ = 0.5 and anchor 0 → (1.5, −1); SGD with lr
     * 0.25: w = (1 − 0.375, 2 + 0.25) = (0.625, 2.25). The correction records the raw g, so after this one step the
     * next control is g = (0.5, −1). A part the correction does not cover is stepped as before.
     */
    @Test
    void theDriftCorrectionIsAddedToTheRawGradientBeforeTheProximalTermAndTheOptimiser() {
        INDArray w = Nd4j.createFromArray(1f, 2f);
        INDArray g = Nd4j.createFromArray(0.5f, -1f);
        PartUpdater u = new PartUpdater("p", w, g, new FlatSgd(2));
        List<float[]> seen = new ArrayList<>();
        u.observeGradients(x -> seen.add(x.toFloatVector()));
        DriftCorrection c = new DriftCorrection(Map.of("p", Nd4j.createFromArray(1f, 0.5f)),
                Map.of("p", Nd4j.createFromArray(0.5f, 1.5f)));
        u.begin(FitInstructions.builder().proximalMu(0.5).build(),
                ModelState.builder(0).part("p", Nd4j.createFromArray(0f, 0f)).build(), c);
        u.step(0.25);
        assertArrayEquals(new float[] {1.5f, -1f}, seen.get(0), 0f);
        assertArrayEquals(new float[] {0.625f, 2.25f}, w.toFloatVector(), 0f);
        assertEquals(1, c.steps("p"));
        assertArrayEquals(new float[] {0.5f, -1f}, c.nextControl("p").toFloatVector(), 0f);

        INDArray w2 = Nd4j.createFromArray(1f, 2f);
        INDArray g2 = Nd4j.createFromArray(0.5f, -1f);
        PartUpdater other = new PartUpdater("q", w2, g2, new FlatSgd(2));
        other.begin(FitInstructions.builder().build(), null, c);
        other.step(1);
        assertArrayEquals(new float[] {0.5f, 3f}, w2.toFloatVector(), 0f);
        assertEquals(1, c.steps("p"));
    }

    /** begin() resets the optimiser: a second fit from the same start repeats the first to the bit. */
    @Test
    void everyFitStartsWithAFreshOptimiser() {
        INDArray w = Nd4j.createFromArray(1f, -2f, 3f);
        INDArray g = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3);
        PartUpdater u = new PartUpdater("p", w, g, new FlatAdam(3, 0.9, 0.999, 1e-8));
        float[][] after = new float[3][];
        for (int fit = 0; fit < 3; fit++) {
            w.assign(Nd4j.createFromArray(1f, -2f, 3f));
            if (fit < 2) {
                u.begin(FitInstructions.builder().build(), null);
            }
            for (int s = 0; s < 3; s++) {
                g.assign(w).muli(2);
                u.step(0.1);
            }
            after[fit] = w.toFloatVector();
        }
        assertArrayEquals(after[0], after[1], 0f);
        assertFalse(java.util.Arrays.equals(after[0], after[2]), "without begin() Adam's moments carry over");
    }
}
