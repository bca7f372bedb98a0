package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.fedgen.models.gan.GanLoss;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.models.vae.VaeConfig;
import org.junit.jupiter.api.Test;

class RunConfigJsonTest {
    private static void assertRoundTrip(RunConfig c) {
        String json = RunConfigJson.write(c);
        RunConfig back = RunConfigJson.read(json, "test");
        assertEquals(c, back);
        assertEquals(json, RunConfigJson.write(back));
    }

    @Test
    void everyFamilyWithDpAndSecureAggregationRoundTripsToAnEqualConfiguration() {
        assertRoundTrip(RunConfig.builder().workers(1).build());
        assertRoundTrip(RunConfig.builder().model(new VaeSettings(VaeConfig.builder().hiddenDim(7).latentDim(3)
                .numClasses(10).optimizer(VaeConfig.Optimizer.SGD).build())).out(Path.of("runs/x"))
                .mmdThreshold(0.25).workers(2).seed(-3).build());
        assertRoundTrip(RunConfig.builder().model(GanSettings.builder().topology(GanTopology.IFLGAN)
                .loss(GanLoss.NON_SATURATING_BCE).criticSteps(2).build()).aggregator(AggregatorKind.mmd).build());
        assertRoundTrip(RunConfig.builder().model(DdpmSettings.builder().timesteps(50).ddimSteps(10)
                .unetChannels(4, 8).build()).build());
        assertRoundTrip(RunConfig.builder().model(DdpmSettings.builder().conditional(true).labelDropout(0.1)
                .guidance(2).guidanceInterval(0.25, 0.75).build()).build());
        assertRoundTrip(RunConfig.builder().model(DdpmSettings.builder().conditional(true).labelDropout(0.1)
                .guidance(6).guidanceSchedule("step:0.9,2").build()).build());
        assertRoundTrip(RunConfig.builder().dp(DpConfig.builder(1.1, 0.5).parts(List.of("decoder"))
                .seededNoise(true).build()).build());
        assertRoundTrip(RunConfig.builder().secureAggregation(SecureAggregationSettings.defaults()).build());
    }

    @Test
    void missingFieldsTakeTheDefaultsOfTheFamily() {
        RunConfig gan = RunConfigJson.read("{\"model\": {\"family\": \"gan\", \"topology\": \"mdgan\"},"
                + " \"seed\": 7}", "run.json");
        RunConfig expected = RunConfig.builder().model(GanSettings.builder().topology(GanTopology.MDGAN).build())
                .seed(7).build();
        assertEquals(expected, gan);
        assertEquals(RunConfig.builder().build(), RunConfigJson.read("{}", "run.json"));
        RunConfig dp = RunConfigJson.read("{\"dp\": {\"noise\": 1.0, \"clip\": 2.0}}", "run.json");
        assertEquals(DpConfig.builder(1.0, 2.0).build(), dp.dp());
    }

    @Test
    void unknownFieldsAndBadValuesAreRefusedNamingTheSource() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> RunConfigJson.read("{\"rounds\": 3, \"roudns\": 4}", "run.json"));
        assertEquals(true, unknown.getMessage().startsWith("run.json: ") && unknown.getMessage().contains("roudns"),
                unknown.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RunConfigJson.read("{\"rounds\": 0}", "run.json"));
        assertEquals("run.json: --rounds must be >= 1, got 0", bad.getMessage());
        IllegalArgumentException family = assertThrows(IllegalArgumentException.class,
                () -> RunConfigJson.read("{\"model\": {\"family\": \"flow\"}}", "run.json"));
        assertEquals("run.json: unknown model family 'flow'; valid: vae, gan, ddpm", family.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunConfigJson.read("[1]", "run.json"));
        assertThrows(IllegalArgumentException.class, () -> RunConfigJson.read("{", "run.json"));
    }
}
