package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedgen.core.RoundListener;
import org.fedgen.models.ddpm.GuidanceInterval;
import org.fedgen.models.ddpm.GuidanceSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real (tiny) federated DDPM run through the library's run path: the server-side EMA is what evaluation uses. */
class DdpmRunTest {
    @TempDir
    Path dir;

    private double[] epsLoss(String emaDecay) throws Exception {
        RunConfig o = RunConfig.builder().model(tiny().emaDecay(Double.parseDouble(emaDecay)).build()).clients(2)
                .partition(PartitionKind.iid).rounds(2).localSteps(2).batchSize(16).learningRate(1e-2).workers(1)
                .evalEvery(1).qualitySamples(0).samples(0).out(dir.resolve(emaDecay)).build();
        double[] loss = new double[2];
        RoundListener record = r -> loss[(int) r.round() - 1] = r.metric("eps_loss");
        new FederatedRun(o, record).run();
        assertEquals(List.of(true, true), List.of(Files.exists(dir.resolve(emaDecay).resolve("metrics.csv")),
                Files.exists(dir.resolve(emaDecay).resolve("checkpoint.fgs"))));
        return loss;
    }

    private static DdpmSettings.Builder tiny() {
        return DdpmSettings.builder().mlpWidth(8).mlpDepth(1).timesteps(21).ddimSteps(2);
    }

    /** The DDPM's own defaults: 20 rounds (other families keep 50) and DDIM with 4 steps; given values win. */
    @Test
    void ddpmDefaultsToTwentyRoundsAndFourDdimSteps() {
        RunConfig ddpm = RunConfig.builder().model(DdpmSettings.builder().build()).build();
        assertEquals(20, ddpm.rounds());
        assertEquals(4, ((DdpmSettings) ddpm.model()).ddimSteps());
        assertEquals(50, RunConfig.builder().build().rounds());
        assertEquals(7, RunConfig.builder().model(DdpmSettings.builder().build()).rounds(7).build().rounds());
    }

    /** Two or three U-Net channel counts; a third needs sizes divisible by 4, and each refusal names the value. */
    @Test
    void unetTakesAThirdLevelAndRefusesWhatItCannotBuild() {
        DdpmSettings three = DdpmSettings.builder().denoiser(DdpmSettings.DenoiserKind.unet).unetChannels(2, 3, 4)
                .timesteps(21).ddimSteps(2).build();
        // a block cin -> cout has 9 cin cout + cout conv and 64 cout + cout embedding weights: 4160 (embedding)
        // + 150 + 168 + 252 + 279 + 372 + 408 + 387 (7 -> 3) + 222 (5 -> 2) + 19 (output) = 6417
        assertEquals("UNetDenoiser{8x12, channels 2/3/4, cond=64, params=6417}",
                DdpmModels.newDenoiser(three, null, 8, 12).toString());
        assertEquals("--unet-channels with three counts needs an image height and width that are multiples of 4 (it "
                + "halves them twice), got 6x8", assertThrows(IllegalArgumentException.class,
                        () -> DdpmModels.newModel(three, 6, 8)).getMessage());
        assertEquals("--unet-channels needs two or three counts >= 1, got [2, 3, 4, 5]",
                assertThrows(IllegalArgumentException.class, () -> DdpmSettings.builder().unetChannels(2, 3, 4, 5)
                        .build()).getMessage());
    }

    @Test
    void evaluationUsesTheMovingAverageOnceThereIsOne() throws Exception {
        double[] plain = epsLoss("0");
        double[] averaged = epsLoss("0.5");
        // Round 1: the average is initialised to the first aggregate, so both evaluate the same weights.
        assertEquals(plain[0], averaged[0], 0.0);
        // Round 2: the average is 0.5·w1 + 0.5·w2, not w2, so the held-out loss differs.
        assertNotEquals(plain[1], averaged[1]);
    }

    /**
     * A conditional DDPM with label dropout and guidance trains through the run path and reports, per evaluation, how
     * often the classifier sees the requested digit; guidance without --conditional is refused naming both options.
     */
    @Test
    void guidedConditionalRunReportsConditionalAccuracy() throws Exception {
        DdpmSettings ddpm = tiny().conditional(true).labelDropout(0.2).guidance(3).build();
        RunConfig o = RunConfig.builder().model(ddpm).clients(2).partition(PartitionKind.iid).rounds(1).localSteps(2)
                .batchSize(16).workers(1).qualitySamples(20).samples(0).out(dir.resolve("cfg")).build();
        double[] accuracy = {Double.NaN};
        new FederatedRun(o, r -> accuracy[0] = r.metric("cond_accuracy")).run();
        assertTrue(accuracy[0] >= 0 && accuracy[0] <= 1, "cond_accuracy " + accuracy[0]);
        assertEquals(0.2, DdpmModels.newModel(ddpm).labelDropout());
        assertEquals(3.0, DdpmModels.newModel(ddpm).guidance());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DdpmSettings.builder().guidance(2).build());
        assertTrue(e.getMessage().contains("--guidance 2.0") && e.getMessage().contains("--conditional"),
                e.getMessage());
        assertEquals(new GuidanceInterval(0.3, 0.8), DdpmModels.newModel(tiny().conditional(true).guidance(1)
                .guidanceInterval(0.3, 0.8).build()).guidanceInterval());
        assertEquals(GuidanceInterval.ALL, DdpmModels.newModel(ddpm).guidanceInterval());
        assertEquals("--guidance-interval needs lo,hi with 0 <= lo <= hi <= 1 (fractions of T), got 0.8,0.3",
                assertThrows(IllegalArgumentException.class, () -> tiny().conditional(true).guidance(1)
                        .guidanceInterval(0.8, 0.3).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> tiny().guidanceInterval(0.5).build());
        DdpmSettings stepped = tiny().conditional(true).guidance(6).guidanceSchedule("Step:0.9,2").build();
        assertEquals("step:0.9,2.0", stepped.guidanceSchedule());
        assertEquals(GuidanceSchedule.parse("step:0.9,2"), DdpmModels.newModel(stepped).guidanceSchedule());
        assertEquals(GuidanceSchedule.CONSTANT, DdpmModels.newModel(ddpm).guidanceSchedule());
        assertEquals("--guidance-schedule step:2,1: guidance schedule step needs 0 <= S <= 1 (a fraction of T), got "
                + "2.0", assertThrows(IllegalArgumentException.class, () -> tiny().conditional(true)
                        .guidanceSchedule("step:2,1").build()).getMessage());
        assertEquals("--guidance-schedule linear:2 needs --conditional", assertThrows(IllegalArgumentException.class,
                () -> tiny().guidanceSchedule("linear:2").build()).getMessage());
    }
}
