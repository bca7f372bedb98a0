package org.fedgen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.fedgen.core.RoundListener;
import org.fedgen.runs.DpConfig;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfig;

/**
 * Round wall time of DP-FedAvg against FedAvg on the default VAE job (10 clients, all of them in every round: DP with
 * q = 1, noise z = 1, clip S = 1), alternating the two runs; each run's first round is a warm-up and its last (which
 * evaluates) is left out. The figure is the median of the remaining rounds' times over all
 * repeats.
 */
final class DpOverhead {
    /** Median round times in milliseconds. */
    record Result(int rounds, double fedAvgMs, double dpMs) {
        double ratio() {
            return dpMs / fedAvgMs;
        }
    }

    private final int rounds;
    private final int repeats;

    DpOverhead(int rounds, int repeats) {
        if (rounds < 3) {
            throw new IllegalArgumentException("DP overhead needs >= 3 rounds (warm-up, timed, evaluated), got "
                    + rounds);
        }
        this.rounds = rounds;
        this.repeats = repeats;
    }

    Result run() {
        Path dir;
        try {
            dir = Files.createTempDirectory("fedgen-bench-dp");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        RunConfig plain = RunConfig.builder().rounds(rounds).evalEvery(rounds).qualitySamples(0).samples(0).build();
        RunConfig dp = plain.toBuilder().dp(DpConfig.builder(1.0, 1.0).q(1.0).build()).build();
        double[] f = new double[0];
        double[] d = new double[0];
        for (int r = 0; r < repeats; r++) {
            f = concat(f, timedRounds(plain, dir.resolve("fedavg-" + r)));
            d = concat(d, timedRounds(dp, dir.resolve("dp-" + r)));
        }
        return new Result(rounds, Timing.median(f), Timing.median(d));
    }

    /**
     * Times rounds 2 … R−1 as the gaps between consecutive round notifications, the same way for both runs (a round's
     * time then includes the run's own listeners: metrics file and checkpoint).
     */
    private double[] timedRounds(RunConfig config, Path out) {
        long[] at = new long[rounds + 1];
        RoundListener clock = r -> at[(int) r.round()] = System.nanoTime();
        new FederatedRun(config.toBuilder().out(out).build(), clock).run();
        double[] ms = new double[rounds - 2];
        for (int r = 2; r < rounds; r++) {
            ms[r - 2] = (at[r] - at[r - 1]) / 1e6;
        }
        return ms;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
