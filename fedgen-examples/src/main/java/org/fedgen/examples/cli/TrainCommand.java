package org.fedgen.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedgen.examples.run.FederatedRun;
import org.fedgen.examples.run.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fedgen train}: federated training on the bundled digits (default: a VAE over 10 Dirichlet(0.5) clients). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a generative model federatedly on the bundled MNIST digits and writes metrics.csv,",
            "sample grids (PNG), an IDX file of samples and a checkpoint to the output directory."})
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    RunOptions options = new RunOptions();

    @Override
    public Integer call() throws Exception {
        Path out = new FederatedRun(options, new ConsoleProgress()).run();
        System.out.println("outputs in " + out.toAbsolutePath());
        return 0;
    }
}
