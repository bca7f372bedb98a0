package org.fedgen.runs;

import java.nio.file.Path;
import java.util.Map;
import org.fedgen.core.ModelState;
import org.fedgen.core.io.Checkpoint;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.models.ddpm.DdimSampler;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.image.ImageGrid;
import org.fedgen.models.metrics.DigitsClassifier;
import org.fedgen.models.metrics.DigitsSplit;
import org.fedgen.models.metrics.SampleQuality;
import org.fedgen.models.train.Labels;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Not a test: samples a DDPM run's checkpoint (its EMA weights if it has them) with DDIM at each given step count and
 * prints the sample quality of each against the held-out digits (and, for a conditional model, the share the
 * classifier files under the requested digit), writing {@code ddimS.png} (S the steps) next to the checkpoint. Run
 * with the test classpath: {@code java -cp
 * fedgen-examples/target/fedgen.jar:fedgen-examples/target/lib/*:fedgen-runs/target/test-classes
 * org.fedgen.runs.DdimStepSweep CHECKPOINT SAMPLES S...}. A conditional model's step count may carry its own guidance,
 * {@code S:W} (weight W at every step), {@code S:W:LO,HI} (weight W for LO &le; t/T &le; HI) or
 * {@code S:W:LO,HI:SCHEDULE} (a {@code --guidance-schedule} around W within the interval, e.g.
 * {@code 8:6:0,1:step:0.9,2}); a bare S keeps the run's guidance, interval and schedule. Grids are then named
 * {@code ddimS-wW-LO-HI[-SCHEDULE].png}.
 */
final class DdimStepSweep {
    private DdimStepSweep() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        Checkpoint cp = CheckpointFile.read(file);
        DdpmSettings settings = (DdpmSettings) RunProvenance.fromJson(cp.provenance(), args[0]).config().model();
        Map<String, INDArray> agg = cp.aggregatorState();
        String ema = "ema/" + Ddpm.PART;
        ModelState weights = agg.containsKey(ema) ? ModelState.builder(cp.round()).part(Ddpm.PART, agg.get(ema))
                .build() : cp.model();
        DigitsClassifier classifier = DigitsClassifier.load();
        SampleQuality quality = SampleQuality.against(DigitsSplit.heldOut(), classifier);
        System.out.printf("%s: round %d, %s, %d samples, seed 7%n", file, cp.round(), settings, n);
        for (int i = 2; i < args.length; i++) {
            String[] spec = args[i].split(":", 4);
            int steps = Integer.parseInt(spec[0]);
            DdpmSettings.Builder b = DdpmSettings.builder().denoiser(settings.denoiser()).mlpWidth(settings.mlpWidth())
                    .mlpDepth(settings.mlpDepth()).unetChannels(settings.unetChannels()).schedule(settings.schedule())
                    .timesteps(settings.timesteps()).ddimSteps(steps).minSnrGamma(settings.minSnrGamma())
                    .emaDecay(settings.emaDecay()).labelDropout(settings.labelDropout()).guidance(settings.guidance())
                    .guidanceInterval(settings.guidanceInterval()).guidanceSchedule(settings.guidanceSchedule())
                    .conditional(settings.conditional());
            if (spec.length > 1) {
                b.guidance(Double.parseDouble(spec[1])).guidanceInterval(0, 1).guidanceSchedule("constant");
            }
            if (spec.length > 2) {
                String[] lohi = spec[2].split(",");
                b.guidanceInterval(Double.parseDouble(lohi[0]), Double.parseDouble(lohi[1]));
            }
            if (spec.length > 3) {
                b.guidanceSchedule(spec[3]);
            }
            DdpmSettings run = b.build();
            Ddpm model = DdpmModels.newModel(run);
            model.load(weights);
            String name = "ddim" + steps + (model.conditional() ? "-w" + run.guidance() + "-"
                    + run.guidanceInterval()[0] + "-" + run.guidanceInterval()[1]
                    + (run.guidanceSchedule().equals("constant") ? "" : "-" + run.guidanceSchedule().replace(':', '-')
                    .replace(',', '-')) : "");
            long t0 = System.nanoTime();
            INDArray x = model.sample(n, 7, new DdimSampler(steps));
            double sec = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> m = quality.evaluate(x);
            String agreement = "";
            if (model.conditional()) {
                int[] want = Labels.cycle(n, model.numClasses());
                int[] got = classifier.predict(x);
                int same = 0;
                for (int k = 0; k < n; k++) {
                    same += want[k] == got[k] ? 1 : 0;
                }
                agreement = String.format("  agreement %.3f", (double) same / n);
            }
            System.out.printf("%-24s %6.1f s  fid %6.1f  precision %.3f  recall %.3f  dust_ratio %.2f%s%n", name,
                    sec, m.get("fid"), m.get("precision"), m.get("recall"), m.get("dust_ratio"), agreement);
            ImageGrid.write(file.toAbsolutePath().getParent().resolve(name + ".png"),
                    x.get(NDArrayIndex.interval(0, Math.min(64, n)), NDArrayIndex.all()), 28, 28);
        }
    }
}
