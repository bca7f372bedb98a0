package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Digits;
import org.fedgen.core.io.Checkpoint;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.gan.GanTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A checkpoint alone rebuilds its model: samples from it are the run's own final samples, bit for bit. */
class TrainedModelTest {
    @TempDir
    Path dir;

    private RunConfig.Builder tiny(ModelSettings model, String name) {
        return RunConfig.builder().model(model).clients(2).partition(PartitionKind.iid).rounds(2).localSteps(1)
                .batchSize(8).workers(1).evalEvery(1).qualitySamples(0).samples(6).out(dir.resolve(name));
    }

    static Stream<Arguments> families() {
        return Stream.of(Arguments.of("vae", VaeSettings.defaults(), false),
                Arguments.of("flgan", GanSettings.builder().generatorSteps(1).build(), false),
                Arguments.of("iflgan", GanSettings.builder().topology(GanTopology.IFLGAN).generatorSteps(1).build(),
                        false),
                Arguments.of("mdgan", GanSettings.builder().topology(GanTopology.MDGAN).generatorSteps(1).build(),
                        false),
                Arguments.of("ddpm-ema", DdpmSettings.builder().mlpWidth(8).mlpDepth(1).timesteps(21).ddimSteps(2)
                        .emaDecay(0.5).build(), false),
                Arguments.of("vae-dp", VaeSettings.defaults(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void samplesFromTheCheckpointAloneAreTheRunsFinalSamples(String name, ModelSettings model, boolean dp)
            throws Exception {
        RunConfig.Builder b = tiny(model, name);
        if (dp) {
            b.dp(DpConfig.builder(1.0, 1.0).seededNoise(true).build());
        }
        RunConfig o = b.build();
        Path out = new FederatedRun(o).run();
        TrainedModel m = TrainedModel.load(out.resolve("checkpoint.fgs"));
        assertEquals(o, m.provenance().config());
        assertEquals(2, m.round());
        Path again = dir.resolve(name + "-again-idx3-ubyte");
        Digits.writeIdx(again, m.sample(6, Seeds.derive(o.seed(), "samples")), 28, 28);
        assertArrayEquals(Files.readAllBytes(out.resolve("samples-idx3-ubyte")), Files.readAllBytes(again));
    }

    @Test
    void nonFiniteParametersAndCheckpointsWithoutConfigurationAreRefused() throws Exception {
        Path out = new FederatedRun(tiny(VaeSettings.defaults(), "nan").rounds(1).build()).run();
        Path file = out.resolve("checkpoint.fgs");
        Checkpoint cp = CheckpointFile.read(file);
        Map<String, INDArray> parts = new LinkedHashMap<>(cp.model().parts());
        String first = parts.keySet().iterator().next();
        INDArray bad = parts.get(first).dup();
        bad.putScalar(3, Float.POSITIVE_INFINITY);
        parts.put(first, bad);
        Path nan = dir.resolve("inf.fgs");
        CheckpointFile.write(nan, new Checkpoint(cp.round(), ModelState.of(cp.model().round(), parts),
                cp.aggregatorState(), cp.provenance()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainedModel.load(nan));
        assertEquals(nan + ": model part '" + first + "' has the non-finite value Infinity at index 3",
                e.getMessage());
        Path old = dir.resolve("v1.fgs");
        CheckpointFile.write(old, new Checkpoint(cp.round(), cp.model(), cp.aggregatorState()));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> TrainedModel.load(old));
        assertTrue(none.getMessage().startsWith(old + " records no run configuration"), none.getMessage());
    }

    static Stream<Arguments> conditionalFamilies() {
        return Stream.of(Arguments.of("gan-conditional", GanSettings.builder().generatorSteps(1).conditional(true)
                        .build()),
                Arguments.of("ddpm-guided", DdpmSettings.builder().mlpWidth(8).mlpDepth(1).timesteps(21).ddimSteps(2)
                        .conditional(true).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditionalFamilies")
    void aConditionalCheckpointDrawsTheRequestedDigitsInTurn(String name, ModelSettings model) throws Exception {
        Path out = new FederatedRun(tiny(model, name).rounds(1).samples(0).build()).run();
        TrainedModel m = TrainedModel.load(out.resolve("checkpoint.fgs"));
        assertTrue(m.conditional());
        // Unrequested, the rows cycle 0..9; asking for exactly that cycle must give the same bits.
        int[] digits = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(m.sample(12, 5).data().asFloat(), m.sample(12, digits, 5).data().asFloat());
        // Labels cycle over the rows: {0, 3, 7} for 6 rows is 0, 3, 7, 0, 3, 7.
        assertArrayEquals(m.sample(6, new int[] {0, 3, 7, 0, 3, 7}, 9).data().asFloat(),
                m.sample(6, new int[] {0, 3, 7}, 9).data().asFloat());
        assertEquals(6 * 784, m.sample(6, new int[] {0, 3, 7}, 9).length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.sample(3, new int[] {3, 10}, 9));
        assertEquals("labels must be digits 0..9, got 10", e.getMessage());
    }

    @Test
    void anUnconditionalCheckpointRefusesLabelsNamingItsFamily() throws Exception {
        Path out = new FederatedRun(tiny(VaeSettings.defaults(), "vae-labels").rounds(1).samples(0).build()).run();
        Path file = out.resolve("checkpoint.fgs");
        TrainedModel m = TrainedModel.load(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.sample(3, new int[] {0, 3, 7}, 1));
        assertEquals(file + " holds an unconditional vae model, which cannot draw requested labels (train with "
                + "--conditional)", e.getMessage());
    }
}
