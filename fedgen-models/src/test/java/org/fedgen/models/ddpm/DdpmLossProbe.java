package org.fedgen.models.ddpm;

import org.fedgen.core.FitInstructions;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;

/** Not a test: prints the evaluation loss of the MLP DDPM as training proceeds. */
final class DdpmLossProbe {
    private DdpmLossProbe() {
    }

    public static void main(String[] args) {
        Dataset digits = Digits.bundled();
        Dataset eval = digits.range(0, 512);
        int w = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        Ddpm model = Ddpm.builder(new MlpDenoiser(784, new int[] {w, w}, 128, 0, Activation.SILU)).schedule(NoiseSchedule.linear(Integer.parseInt(args[0])))
                .build();
        model.initialize(1);
        double lr = Double.parseDouble(args[1]);
        System.out.printf("init eval loss %.4f%n", model.evaluate(eval, 5).get("loss"));
        for (int r = 0; r < Integer.parseInt(args[2]); r++) {
            FitInstructions ins = FitInstructions.builder().localSteps(100).batchSize(64).learningRate(lr).seed(r)
                    .build();
            double fitLoss = model.fit(digits, ins, null).get("loss");
            System.out.printf("after %d steps: fit loss %.4f eval loss %.4f%n", (r + 1) * 100, fitLoss,
                    model.evaluate(eval, 5).get("loss"));
        }
    }
}
