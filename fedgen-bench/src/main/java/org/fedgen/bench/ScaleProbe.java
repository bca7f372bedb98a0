package org.fedgen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.PartitionKind;
import org.fedgen.runs.RunConfig;

/**
 * The child process of {@link ScaleCurve}: one streamed VAE run over a pool of N clients (9 digits each) with K per
 * round, two rounds (the second evaluates), one worker; prints {@code round1_ms=… peak_rss_kb=…} as its last line,
 * round 1's {@code wall_ms} from metrics.csv and the process's VmHWM. Arguments: N K.
 */
public final class ScaleProbe {
    private ScaleProbe() {
    }

    /** Runs the probe; see the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ScaleProbe <clients> <clients-per-round>, got "
                    + args.length + " arguments");
        }
        int clients = Integer.parseInt(args[0]);
        int perRound = Integer.parseInt(args[1]);
        Path out = Files.createTempDirectory("fedgen-bench-scale");
        RunConfig config = RunConfig.builder().clients(clients).partition(PartitionKind.pool).streaming(true)
                .clientsPerRound(perRound).rounds(2).evalEvery(2).qualitySamples(0).samples(0).workers(1).out(out)
                .build();
        Path run = new FederatedRun(config).run();
        double[] wall = MetricsCsv.column(run.resolve("metrics.csv"), "wall_ms");
        System.out.printf("round1_ms=%.1f peak_rss_kb=%d%n", wall[0], Timing.peakRssKb());
    }
}
