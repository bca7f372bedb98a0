package org.fedgen.examples.cli;

import java.util.concurrent.Callable;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OptionScope.refuseInapplicable(spec.commandLine().getParseResult(), options);
        options.dp.requireUnused("fedgen bench");
        if (warmupRounds < 0) {
            throw new IllegalArgumentException("--warmup-rounds must be >= 0, got " + warmupRounds);
        }
        if (options.rounds == null) {
            options.rounds = 5;
        }
        RunConfig config = options.toConfig();
        int maxWorkers = config.workers();
        System.out.printf("bench: model %s, %d clients, %d rounds (+%d warm-up), local epochs %d, batch %d, "
                + "OMP_NUM_THREADS=%s%n", options.model, config.clients(), config.rounds(), warmupRounds,
                config.localEpochs(), config.batchSize(), System.getenv("OMP_NUM_THREADS"));
        FederatedRun.Timing one = FederatedRun.timeTraining(config, 1, warmupRounds);
        report(1, one);
        if (maxWorkers > 1) {
            FederatedRun.Timing many = FederatedRun.timeTraining(config, maxWorkers, warmupRounds);
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
