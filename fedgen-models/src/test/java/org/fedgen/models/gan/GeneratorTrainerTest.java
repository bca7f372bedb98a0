package org.fedgen.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Executable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class GeneratorTrainerTest {
    private static final GanConfig CFG = GanConfig.builder().dataDim(6).latentDim(3).generatorHidden(5, 4)
            .discriminatorHidden(5, 4).numClasses(3).build();

    @Test
    void changesOnlyTheGeneratorAndIsDeterministic() {
        ModelState start = new Gan(CFG).initialize(1).withRound(7);
        GeneratorTrainer trainer = new GeneratorTrainer(CFG, 4, 16, 1e-2);
        ModelState a = trainer.train(start, 3);
        assertEquals(7, a.round());
        assertSame(start.part(Gan.DISCRIMINATOR), a.part(Gan.DISCRIMINATOR));
        assertFalse(a.select(List.of(Gan.GENERATOR)).bitEquals(start.select(List.of(Gan.GENERATOR))));
        assertTrue(a.bitEquals(trainer.apply(start, 3)));
        assertFalse(a.bitEquals(trainer.train(start, 4)));
    }

    /** The generator's loss under the fixed D goes down over the server's steps. */
    @Test
    void lowersTheGeneratorLossAgainstTheFixedDiscriminator() {
        ModelState start = new Gan(CFG).initialize(2);
        ModelState after = new GeneratorTrainer(CFG, 30, 32, 1e-2).train(start, 5);
        Dataset probe = new Dataset(Nd4j.rand(DataType.FLOAT, 64, 6), new int[64], new int[] {6});
        Gan g = new Gan(CFG);
        g.load(start);
        double before = g.evaluate(probe, 1).get("g_loss");
        g.load(after);
        assertTrue(g.evaluate(probe, 1).get("g_loss") < before);
    }

    /** The type system keeps data away from the server's generator step: no public signature mentions a Dataset. */
    @Test
    void apiTakesNoDataset() {
        List<Executable> members = new ArrayList<>(Arrays.asList(GeneratorTrainer.class.getConstructors()));
        members.addAll(Arrays.asList(GeneratorTrainer.class.getMethods()));
        for (Executable m : members) {
            for (Class<?> p : m.getParameterTypes()) {
                assertFalse(Dataset.class.isAssignableFrom(p), m.toString());
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new GeneratorTrainer(CFG, 0, 16, 1e-2));
        assertThrows(IllegalArgumentException.class, () -> new GeneratorTrainer(CFG, 1, 0, 1e-2));
        ModelState noD = new Gan(CFG).initialize(1).select(List.of(Gan.GENERATOR));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GeneratorTrainer(CFG, 1, 4).train(noD, 1));
        assertTrue(e.getMessage().contains(Gan.DISCRIMINATOR));
    }
}
