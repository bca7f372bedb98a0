package org.fedgen.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.PartitionKind;
import org.fedgen.runs.RunConfig;
import org.fedgen.runs.RunConfigJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedgen train}: federated training on the bundled digits (default: a VAE over 10 Dirichlet(0.5) clients) or on
 * the user's own images or a CSV table ({@code --data FILE.csv}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a generative model federatedly on the bundled MNIST digits (or your",
            "own images: --data-dir, --data) and writes metrics.csv, sample grids (PNG),",
            "an IDX file of samples, config.json and a checkpoint to the output directory.",
            "With --data FILE.csv it trains on the table and writes samples.csv and eval.json instead."})
public final class TrainCommand implements Callable<Integer> {
    /** Options that may accompany --config: they choose where and how fast, not what is computed. */
    private static final Set<String> WITH_CONFIG = Set.of("--config", "--out", "--workers", "--overwrite",
            "--verbose");

    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--config", description = {"Run configuration as JSON (the form of a run directory's "
            + "config.json); missing", "fields take their defaults. Only --out, --workers and --overwrite may be "
            + "given with it."})
    Path config;

    @Option(names = "--resume", paramLabel = "DIR", description = {"Continue the run in DIR from its checkpoint, "
            + "with the configuration it", "records; only --rounds (to extend it) may be given with it."})
    Path resume;

    @Option(names = "--overwrite", description = "Replace a run already in the output directory (otherwise refused).")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (resume != null) {
            return resumed();
        }
        RunConfig run = config != null ? fromFile() : fromOptions();
        FederatedRun training = new FederatedRun(run, new ConsoleProgress());
        Path out = (overwrite ? training.overwriting() : training).run();
        System.out.println("outputs in " + out.toAbsolutePath());
        return 0;
    }

    private int resumed() {
        var given = spec.commandLine().getParseResult();
        for (OptionSpec o : given.matchedOptions()) {
            if (!Set.of("--resume", "--rounds", "--verbose").contains(o.longestName())) {
                throw new IllegalArgumentException(o.longestName() + " cannot be combined with --resume " + resume
                        + ": the run continues with the configuration its checkpoint records (only --rounds may "
                        + "extend it)");
            }
        }
        Path out = FederatedRun.resume(resume, given.hasMatchedOption("--rounds") ? options.rounds : null,
                new ConsoleProgress()).run();
        System.out.println("outputs in " + out.toAbsolutePath());
        return 0;
    }

    private RunConfig fromOptions() {
        var given = spec.commandLine().getParseResult();
        OptionScope.refuseInapplicable(given, options);
        if (options.images.table() != null && !given.hasMatchedOption("--partition")) {
            // a table has no digit labels for the default Dirichlet split
            options.partition = PartitionKind.iid;
        }
        return options.toConfig();
    }

    private RunConfig fromFile() {
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!WITH_CONFIG.contains(o.longestName())) {
                throw new IllegalArgumentException(o.longestName() + " cannot be combined with --config " + config
                        + ": the file sets the run's configuration (edit it instead)");
            }
        }
        String json;
        try {
            json = Files.readString(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --config " + config + ": " + e.getMessage(), e);
        }
        RunConfig.Builder b = RunConfigJson.read(json, config.toString()).toBuilder();
        if (options.out != null) {
            b.out(options.out);
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--workers")) {
            b.workers(options.workers);
        }
        return b.build();
    }
}
