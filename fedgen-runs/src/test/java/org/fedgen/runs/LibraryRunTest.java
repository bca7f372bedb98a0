package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedgen.core.RoundResult;
import org.fedgen.core.io.Checkpoint;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every GAN topology and a DP run, built and trained for one round through the library API only (configuration
 * records and {@link FederatedRun}; no CLI class), each writing the run outputs of the round loop.
 */
class LibraryRunTest {
    @TempDir
    Path dir;

    private RunConfig.Builder tiny(ModelSettings model, String name) {
        return RunConfig.builder().model(model).clients(2).partition(PartitionKind.iid).rounds(1).localSteps(1)
                .batchSize(8).workers(1).evalEvery(1).qualitySamples(0).samples(4).out(dir.resolve(name));
    }

    @ParameterizedTest
    @EnumSource(GanTopology.class)
    void eachGanTopologyTrainsOneRoundThroughTheRoundLoopAndWritesItsOutputs(GanTopology t) throws Exception {
        GanSettings gan = GanSettings.builder().topology(t).generatorSteps(1).build();
        List<RoundResult> seen = new ArrayList<>();
        Path out = new FederatedRun(tiny(gan, t.cliName()).build(), seen::add).run();
        assertEquals(1, seen.size());
        RoundResult r = seen.get(0);
        assertEquals(2.0, r.metric("sampled"), r.metrics().toString());
        assertEquals(2.0, r.metric("accepted"), r.metrics().toString());
        assertTrue(Double.isFinite(r.metric("client_loss")), r.metrics().toString());
        assertTrue(Double.isFinite(r.metric("d_fake")), r.metrics().toString());
        Checkpoint cp = CheckpointFile.read(out.resolve("checkpoint.fgs"));
        assertEquals(1, cp.round());
        assertTrue(cp.model().part(Gan.GENERATOR).equals(r.global().part(Gan.GENERATOR)));
        for (String f : List.of("metrics.csv", "metrics.png", "samples.png", "samples-round-0001.png",
                "samples-idx3-ubyte")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(2, Files.readAllLines(out.resolve("metrics.csv")).size());
    }

    @Test
    void dpRunTrainsOneRoundAndReportsEpsilon() throws Exception {
        DpConfig dp = DpConfig.builder(1.0, 1.0).seededNoise(true).build();
        List<RoundResult> seen = new ArrayList<>();
        new FederatedRun(tiny(VaeSettings.defaults(), "dp").dp(dp).build(), seen::add).run();
        RoundResult r = seen.get(0);
        // q = 1 (every client every round), z = 1: one round of the Gaussian mechanism, RDP α/2, ε finite and > 0;
        // seeded noise protects nobody who knows the seed, so ε is published only as "not a guarantee"
        double eps = r.metrics().getOrDefault("epsilon_not_a_guarantee", Double.NaN);
        assertTrue(eps > 0 && Double.isFinite(eps), r.metrics().toString());
        assertFalse(r.metrics().containsKey("epsilon"), r.metrics().toString());
        assertTrue(Files.exists(dir.resolve("dp").resolve("checkpoint.fgs")));
    }

    @Test
    void mdGanWithDpIsRefusedWhenTheConfigurationIsBuilt() {
        RunConfig.Builder b = tiny(GanSettings.builder().topology(GanTopology.MDGAN).build(), "md-dp")
                .dp(DpConfig.builder(1.0, 1.0).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().startsWith("--topology mdgan cannot be combined with DP"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("md-dp")));
    }

    @Test
    void badValuesAreNamedWhenTheConfigurationIsBuilt() {
        assertEquals("--lr must be > 0, got -1.0", assertThrows(IllegalArgumentException.class,
                () -> RunConfig.builder().learningRate(-1.0).build()).getMessage());
        assertEquals("--ddim-steps must be in 1..--timesteps (21), got 40", assertThrows(
                IllegalArgumentException.class, () -> DdpmSettings.builder().timesteps(21).ddimSteps(40).build())
                .getMessage());
    }
}
