package org.fedgen.bench.probe;

import java.util.Arrays;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.UNetDenoiser;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: ms per U-Net DDPM training step, and per forward pass of a batch. Arguments: channels steps
 * [batch, default 64], where channels is "c1,c2" or "c1,c2,c3" (or the older form c1 c2 steps [batch]).
 */
public final class UNetTiming {
    private UNetTiming() {
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) {
        int[] channels;
        int rest;
        if (args[0].contains(",")) {
            channels = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
            rest = 1;
        } else {
            channels = new int[] {Integer.parseInt(args[0]), Integer.parseInt(args[1])};
            rest = 2;
        }
        int steps = Integer.parseInt(args[rest]);
        int batch = args.length > rest + 1 ? Integer.parseInt(args[rest + 1]) : 64;
        Dataset digits = Digits.bundled().range(0, 1000);
        UNetDenoiser net = new UNetDenoiser(28, 28, channels, 64, 0);
        Ddpm u = Ddpm.builder(net).inputSkip(true).build();
        u.initialize(1);
        FitInstructions warm = FitInstructions.builder().localSteps(2).batchSize(batch).learningRate(1e-3).seed(1).build();
        u.fit(digits, warm, null);
        long t0 = System.nanoTime();
        u.fit(digits, warm.toBuilder().localSteps(steps).build(), null);
        double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
        INDArray x = Nd4j.randn(batch, 784L).castTo(net.params().dataType());
        int[] t = new int[batch];
        Arrays.fill(t, 500);
        net.predict(x, t, null);
        long t1 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.predict(x, t, null);
        }
        double fwdMs = (System.nanoTime() - t1) / 1e6 / steps;
        System.out.printf("U-Net %s (%s): %.0f ms/step, %.0f ms/forward at batch %d%n", Arrays.toString(channels),
                u.denoiser(), stepMs, fwdMs, batch);
    }
}
