package org.fedgen.core.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.fedgen.core.Client;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.InProcessClientProxy;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AttackTest {
    /** Global w = [0.5, 1], b = [2]. */
    private static final ModelState GLOBAL = ModelState.builder(0).part("w", Nd4j.createFromArray(0.5f, 1f))
            .part("b", Nd4j.createFromArray(2f)).build();
    private static final FitInstructions INS = FitInstructions.builder().round(3).seed(77).build();

    /** Honest weights w = [1.5, -2], b = [2.25]: delta [1, -3], [0.25]. */
    private static ClientUpdate honest(PayloadKind kind) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        boolean w = kind == PayloadKind.WEIGHTS;
        p.put("w", w ? Nd4j.createFromArray(1.5f, -2f) : Nd4j.createFromArray(1f, -3f));
        p.put("b", w ? Nd4j.createFromArray(2.25f) : Nd4j.createFromArray(0.25f));
        return new ClientUpdate(5, 3, 40, kind, p, Map.of("loss", 1.0));
    }

    @Test
    void signFlipSendsMinusSTimesTheDeltaInTheHonestKind() {
        // −4·[1, −3] = [−4, 12] -> weights [0.5 − 4, 1 + 12] = [−3.5, 13]; −4·0.25 = −1 -> b = 1
        ClientUpdate u = ScaledDelta.signFlip(4).poison(honest(PayloadKind.WEIGHTS), GLOBAL, INS);
        assertArrayEquals(new float[] {-3.5f, 13f}, u.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1f}, u.part("b").toFloatVector(), 0f);
        assertEquals(PayloadKind.WEIGHTS, u.kind());
        assertEquals(40, u.numExamples());
        assertEquals(Map.of("loss", 1.0), u.metrics());
        ClientUpdate d = ScaledDelta.signFlip(4).poison(honest(PayloadKind.DELTA), GLOBAL, INS);
        assertArrayEquals(new float[] {-4f, 12f}, d.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {-1f}, d.part("b").toFloatVector(), 0f);
    }

    @Test
    void scalingSendsSTimesTheDelta() {
        // 3·[1, −3] = [3, −9] -> [3.5, −8]; 3·0.25 = 0.75 -> 2.75
        ClientUpdate u = ScaledDelta.scaling(3).poison(honest(PayloadKind.WEIGHTS), GLOBAL, INS);
        assertArrayEquals(new float[] {3.5f, -8f}, u.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {2.75f}, u.part("b").toFloatVector(), 0f);
        assertThrows(IllegalArgumentException.class, () -> new ScaledDelta(Double.NaN));
    }

    @Test
    void gaussianNoiseAddsSeededNoiseOfTheStatedStd() {
        ClientUpdate h = honest(PayloadKind.WEIGHTS);
        ClientUpdate u = new GaussianNoise(0.5).poison(h, GLOBAL, INS);
        INDArray nw = GaussianNoise.noise(77, "w", 2, 0.5);
        assertArrayEquals(h.part("w").add(nw).toFloatVector(), u.part("w").toFloatVector(), 0f);
        assertArrayEquals(u.part("b").toFloatVector(),
                new GaussianNoise(0.5).poison(h, GLOBAL, INS).part("b").toFloatVector(), 0f);
        assertFalse(java.util.Arrays.equals(nw.toFloatVector(), GaussianNoise.noise(78, "w", 2, 0.5).toFloatVector()));
        // the noise itself: 10^6 draws have std 0.5 within 1 % and mean 0 within 5 standard errors
        INDArray big = GaussianNoise.noise(1, "x", 1_000_000, 0.5);
        assertEquals(0.5, big.stdNumber().doubleValue(), 0.005);
        assertEquals(0.0, big.meanNumber().doubleValue(), 5 * 0.5 / 1000);
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-1));
    }

    @Test
    void aPoisonedClientSendsTheAttacksUpdateAndKeepsTheHonestSizeAndEvaluation() throws Exception {
        Client c = new Client() {
            @Override
            public int id() {
                return 5;
            }

            @Override
            public long numExamples() {
                return 40;
            }

            @Override
            public ClientUpdate fit(ModelState global, FitInstructions instructions) {
                return honest(PayloadKind.WEIGHTS);
            }

            @Override
            public Map<String, Double> evaluate(ModelState global, EvalInstructions instructions) {
                return Map.of("numExamples", 4.0);
            }
        };
        PoisonedClient p = new PoisonedClient(new InProcessClientProxy(c, Runnable::run), ScaledDelta.signFlip(4));
        ClientUpdate u = p.fit(GLOBAL, INS).get();
        assertArrayEquals(new float[] {-3.5f, 13f}, u.part("w").toFloatVector(), 0f);
        assertEquals(5, p.clientId());
        assertEquals(OptionalLong.of(40), p.registeredExamples());
        assertEquals(Map.of("numExamples", 4.0), p.evaluate(GLOBAL, new EvalInstructions(3, 1)).get());
    }

    @Test
    void attackersAreRoundFNOfTheIdsDrawnFromTheSeed() {
        List<Integer> ids = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        TreeSet<Integer> a = Attackers.choose(ids, 0.2, 42);
        assertEquals(2, a.size());
        assertEquals(a, Attackers.choose(ids, 0.2, 42));
        assertEquals(0, Attackers.choose(ids, 0, 42).size());
        assertEquals(new TreeSet<>(ids), Attackers.choose(ids, 1, 42));
        assertEquals(3, Attackers.choose(ids, 0.25, 42).size());
        boolean differs = false;
        for (long s = 0; s < 20 && !differs; s++) {
            differs = !Attackers.choose(ids, 0.2, s).equals(a);
        }
        assertEquals(true, differs);
        assertThrows(IllegalArgumentException.class, () -> Attackers.choose(ids, 1.5, 42));
    }

    @Test
    void labelFlipMapsYToCMinus1MinusY() {
        Dataset d = new Dataset(Nd4j.createFromArray(new float[][] {{1}, {2}, {3}}), new int[] {0, 3, 9}, new int[] {1});
        Dataset f = new LabelFlip(10).apply(d);
        assertArrayEquals(new int[] {9, 6, 0}, f.labels());
        assertArrayEquals(new int[] {0, 3, 9}, d.labels());
        assertArrayEquals(d.features().toFloatVector(), f.features().toFloatVector(), 0f);
        assertThrows(IllegalArgumentException.class, () -> new LabelFlip(3).apply(d));
    }

    @Test
    void backdoorReplacesTheFirstCeilPNExamplesByTheLabelledTriggerAndMeasuresMatches() {
        // 2×2 images; trigger = 1×1 square of 1 on 0: [1, 0, 0, 0]
        float[] trigger = Backdoor.cornerSquare(2, 2, 1, 0f, 1f);
        assertArrayEquals(new float[] {1, 0, 0, 0}, trigger, 0f);
        Dataset d = new Dataset(Nd4j.createFromArray(new float[][] {{0, 1, 1, 0}, {0, 0, 1, 1}, {1, 1, 1, 1}}),
                new int[] {2, 3, 4}, new int[] {1, 2, 2});
        Dataset p = new Backdoor(7, trigger, 0.5).apply(d);     // ⌈0.5·3⌉ = 2 poisoned
        assertArrayEquals(new int[] {7, 7, 4}, p.labels());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1}, p.features().reshape(-1).toFloatVector(), 0f);
        assertArrayEquals(new float[] {0, 1, 1, 0}, d.features().getRow(0).toFloatVector(), 0f);
        // mean |x − t|: row 1 0, row 2 (0.05 + 0 + 0.2 + 0)/4 = 0.0625 (0.05 on the pattern pixel), row 3 3/4
        // -> with tolerance 0.1, 2 of 3 match
        INDArray samples = Nd4j.createFromArray(new float[][] {{1, 0, 0, 0}, {0.95f, 0, 0.2f, 0}, {1, 1, 1, 1}});
        assertEquals(2.0 / 3, new Backdoor(7, trigger, 0.5).success(samples, 0.1), 1e-12);
    }

    @Test
    void aBlankOrFaintSampleDoesNotCountAsDrawingTheTrigger() {
        // the 6×6 corner square of the CLI's backdoor on 28×28: a blank image is within 36/784 ≈ 0.046 of it overall
        float[] trigger = Backdoor.cornerSquare(28, 28, 6, 0f, 1f);
        Backdoor b = new Backdoor(0, trigger, 0.5);
        float[] blank = new float[784];
        float[] faint = trigger.clone();
        float[] almost = trigger.clone();
        for (int i = 0; i < 784; i++) {
            faint[i] *= 0.5f;          // the square at half intensity: 0.5 on the pattern, 18/784 overall
            almost[i] = trigger[i] == 1f ? 0.95f : 0.05f;  // 0.05 everywhere
        }
        float[] square = trigger.clone();
        square[783] = 1f;              // one stray lit pixel: 1/784 overall, 0 on the pattern
        assertEquals(0.0, b.success(Nd4j.createFromArray(new float[][] {blank}), 0.1));
        assertEquals(0.0, b.success(Nd4j.createFromArray(new float[][] {faint}), 0.1));
        assertEquals(0.5, b.success(Nd4j.createFromArray(new float[][] {blank, square}), 0.1));
        assertEquals(2.0 / 3, b.success(Nd4j.createFromArray(new float[][] {almost, faint, trigger}), 0.1), 1e-12);
        // a trigger without a pattern (all one value) is matched by the whole-image difference alone
        assertEquals(1.0, new Backdoor(0, new float[4], 0.5).success(Nd4j.createFromArray(
                new float[][] {{0.05f, 0.05f, 0.05f, 0.05f}}), 0.1));
    }
}
