package org.fedgen.models.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.fedgen.core.DriftCorrection;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Local training behaviour on real digits: FedProx bound, frozen parts, determinism, learning progress. */
class VaeTrainingTest {
    private static Dataset digits;

    @BeforeAll
    static void load() {
        digits = Digits.bundled().range(0, 600);
    }

    private static VaeConfig small(VaeConfig.Optimizer opt) {
        return VaeConfig.builder().hiddenDim(32).latentDim(4).optimizer(opt).build();
    }

    /**
     * FedProx with SGD: w_{s+1} − w_t = (1 − lr μ)(w_s − w_t) − lr g_s, where g_s is the data-loss gradient. With
     * d_s = ‖w_s − w_t‖ and G = max_s ‖g_s‖ (the reported gradNormMax), the triangle inequality gives
     * d_{s+1} ≤ (1 − lr μ) d_s + lr G when 0 ≤ lr μ ≤ 1. Since d_0 = 0 ≤ G/μ, induction gives
     * d_{s+1} ≤ (1 − lr μ) G/μ + lr G = G/μ for every s: the local model never leaves the ball of radius G/μ around
     * the anchor. Without the term (μ = 0) the drift grows with the number of steps.
     */
    @Test
    void proximalTermKeepsLocalModelWithinGradNormOverMuOfTheAnchor() {
        Vae vae = new Vae(small(VaeConfig.Optimizer.SGD));
        ModelState start = vae.initialize(3);
        double lr = 2e-3;
        double mu = 200;
        assertTrue(lr * mu <= 1);
        FitInstructions base = FitInstructions.builder().localSteps(100).batchSize(32).learningRate(lr).seed(4)
                .build();

        Map<String, Double> prox = vae.fit(digits, base.toBuilder().proximalMu(mu).build(), start);
        double proxDrift = distance(vae.state(), start);
        vae.load(start);
        vae.fit(digits, base, start);
        double freeDrift = distance(vae.state(), start);

        double bound = prox.get("gradNormMax") / mu;
        assertTrue(proxDrift <= bound * (1 + 1e-5), "drift " + proxDrift + " exceeds G/mu = " + bound);
        assertTrue(proxDrift < 0.1 * freeDrift, "prox drift " + proxDrift + " vs free drift " + freeDrift);
    }

    /**
     * With SGD the control a SCAFFOLD fit leaves (the mean raw gradient of its K steps) is the paper's option II,
     * c_i⁺ = c_i − c + (x − y)/(K η), up to float rounding: x − y = η Σ_k (g_k + c − c_i).
     */
    @Test
    void aScaffoldFitWithSgdLeavesTheOptionTwoControl() {
        Vae vae = new Vae(small(VaeConfig.Optimizer.SGD));
        ModelState x = vae.initialize(3);
        FitInstructions ins = FitInstructions.builder().localSteps(8).batchSize(32).learningRate(1e-2).seed(4)
                .build();
        Map<String, INDArray> c = vae.gradient(digits.range(0, 200), ins);
        Map<String, INDArray> ci = vae.gradient(digits.range(200, 300), ins);
        DriftCorrection correction = new DriftCorrection(c, ci);
        vae.fit(digits.range(300, 600), ins, null, correction);
        ModelState y = vae.state();
        for (String part : new String[] {Vae.ENCODER, Vae.DECODER}) {
            INDArray optionTwo = ci.get(part).sub(c.get(part)).addi(x.part(part).sub(y.part(part)).divi(8 * 1e-2));
            INDArray mine = correction.nextControl(part);
            double err = mine.sub(optionTwo).norm2Number().doubleValue() / optionTwo.norm2Number().doubleValue();
            assertTrue(err < 1e-4, part + ": relative difference " + err);
        }
        assertEquals(8, correction.steps(Vae.DECODER));
    }

    /** A correction of zero (c = c_i) changes no bit of an Adam fit: the correction path adds exact zeros. */
    @Test
    void aZeroCorrectionLeavesTheFitBitIdentical() {
        Vae vae = new Vae(small(VaeConfig.Optimizer.ADAM));
        ModelState start = vae.initialize(5);
        FitInstructions ins = FitInstructions.builder().localEpochs(1).batchSize(64).seed(9).build();
        Map<String, Double> plain = vae.fit(digits, ins, null);
        ModelState expected = vae.state();
        vae.load(start);
        Map<String, INDArray> c = vae.gradient(digits.range(0, 100), ins);
        Map<String, Double> corrected = vae.fit(digits, ins, null, new DriftCorrection(c, c));
        assertTrue(vae.state().bitEquals(expected));
        assertEquals(plain, corrected);
    }

    @Test
    void trainingOnlyTheDecoderLeavesTheEncoderBitIdentical() {
        Vae vae = new Vae(small(VaeConfig.Optimizer.ADAM));
        ModelState start = vae.initialize(5);
        Map<String, Double> m = vae.fit(digits, FitInstructions.builder().localSteps(10).batchSize(50).seed(1)
                .trainParts(Set.of(Vae.DECODER)).build(), start);
        ModelState after = vae.state();
        assertTrue(after.select(Set.of(Vae.ENCODER)).bitEquals(start.select(Set.of(Vae.ENCODER))));
        assertFalse(after.select(Set.of(Vae.DECODER)).bitEquals(start.select(Set.of(Vae.DECODER))));
        assertEquals(10.0, m.get("steps"));
        assertTrue(m.get("gradNormMax") > 0);
        Map<String, INDArray> g = vae.gradient(digits.range(0, 40), FitInstructions.builder()
                .trainParts(Set.of(Vae.DECODER)).build());
        assertEquals(Set.of(Vae.DECODER), g.keySet());
    }

    @Test
    void sameSeedGivesBitIdenticalResultsAndReusedInstancesKeepNoState() {
        VaeConfig c = small(VaeConfig.Optimizer.ADAM);
        Dataset mine = digits.range(0, 150);
        Dataset other = digits.range(300, 370);
        FitInstructions in = FitInstructions.builder().localEpochs(2).batchSize(64).seed(17).build();
        Vae fresh = new Vae(c);
        ModelState start = fresh.initialize(8);
        Map<String, Double> m1 = fresh.fit(mine, in, start);
        ModelState s1 = fresh.state();

        Vae reused = new Vae(c);
        reused.initialize(99);
        // Different data, batch size and seed first: Adam moments, buffers and random streams must not leak.
        reused.fit(other, FitInstructions.builder().localSteps(7).batchSize(20).seed(3).build(), null);
        reused.load(start);
        Map<String, Double> m2 = reused.fit(mine, in, start);
        assertTrue(reused.state().bitEquals(s1));
        assertEquals(m1, m2);
        assertEquals(6.0, m1.get("steps"), "2 epochs of ceil(150 / 64) = 3 batches");

        reused.load(start);
        reused.fit(mine, in.toBuilder().seed(18).build(), start);
        assertFalse(reused.state().bitEquals(s1), "another seed gives other batches and noise");

        reused.load(s1);
        assertEquals(fresh.evaluate(mine, 5), reused.evaluate(mine, 5));
    }

    @Test
    void trainingOnDigitsImprovesTheElboSubstantially() {
        Dataset train = digits.range(0, 500);
        Vae vae = new Vae(VaeConfig.builder().build());
        vae.initialize(1);
        double before = vae.evaluate(train, 2).get("elbo");
        Map<String, Double> m = vae.fit(train, FitInstructions.builder().localSteps(300).batchSize(64)
                .learningRate(1e-3).seed(3).build(), null);
        Map<String, Double> after = vae.evaluate(train, 2);
        assertTrue(before < -400, "an untrained VAE is near -784 ln 2 per digit, got " + before);
        assertTrue(after.get("elbo") > -200, "after 300 Adam steps the ELBO should pass -200, got " + after);
        assertEquals(500.0, after.get("numExamples"));
    }

    private static double distance(ModelState a, ModelState b) {
        double s = 0;
        for (String part : a.partNames()) {
            double[] x = a.part(part).toDoubleVector();
            double[] y = b.part(part).toDoubleVector();
            for (int i = 0; i < x.length; i++) {
                s += (x[i] - y[i]) * (x[i] - y[i]);
            }
        }
        return Math.sqrt(s);
    }
}
