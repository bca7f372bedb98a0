package org.fedgen.examples.cli;

import java.util.concurrent.Callable;
import org.fedgen.examples.run.FederatedRun;
import org.fedgen.examples.run.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedgen bench}: client local steps per second of the training job with 1 worker and with W workers, measured
 * in one process run, plus a check that both give bit-identical models.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures client local steps per second of the federated job for 1 worker and for --workers,",
            "in one run (same seed, no evaluation), and checks that both produce bit-identical models."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--warmup-rounds", description = "Rounds run first and not timed (default: ${DEFAULT-VALUE}).")
    int warmupRounds = 1;

    @Override
    public Integer call() throws Exception {
        options.dp.requireUnused("fedgen bench");
        if (options.rounds == new RunOptions().rounds) {
            options.rounds = 5;
        }
        int maxWorkers = options.workers;
        System.out.printf("bench: model %s, %d clients, %d rounds (+%d warm-up), local epochs %d, batch %d, "
                + "OMP_NUM_THREADS=%s%n", options.model, options.clients, options.rounds, warmupRounds,
                options.localEpochs, options.batchSize, System.getenv("OMP_NUM_THREADS"));
        FederatedRun.Timing one = FederatedRun.timeTraining(options, 1, warmupRounds);
        report(1, one);
        if (maxWorkers > 1) {
            FederatedRun.Timing many = FederatedRun.timeTraining(options, maxWorkers, warmupRounds);
            report(maxWorkers, many);
            System.out.printf("speed-up W=%d vs W=1: %.2fx%n", maxWorkers, many.stepsPerSecond() / one.stepsPerSecond());
            boolean same = one.finalState().bitEquals(many.finalState());
            System.out.println("final models bit-identical: " + same);
            if (!same) {
                return 1;
            }
        }
        return 0;
    }

    private static void report(int workers, FederatedRun.Timing t) {
        System.out.printf("W=%d: %d local steps in %.2f s = %.1f steps/s (%.2f ms per step per worker)%n", workers,
                t.steps(), t.seconds(), t.stepsPerSecond(), 1000.0 * t.seconds() * workers / t.steps());
    }

}
