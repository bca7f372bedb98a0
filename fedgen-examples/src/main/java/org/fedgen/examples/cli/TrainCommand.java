package org.fedgen.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedgen.runs.FederatedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fedgen train}: federated training on the bundled digits (default: a VAE over 10 Dirichlet(0.5) clients). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a generative model federatedly on the bundled MNIST digits and writes metrics.csv,",
            "sample grids (PNG), an IDX file of samples and a checkpoint to the output directory."})
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    RunOptions options = new RunOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OptionScope.refuseInapplicable(spec.commandLine().getParseResult(), options);
        Path out = new FederatedRun(options.toConfig(), new ConsoleProgress()).run();
        System.out.println("outputs in " + out.toAbsolutePath());
        return 0;
    }
}
