package org.fedgen.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedgen.runs.ClientSplitWriter;
import org.fedgen.runs.PartitionKind;
import org.fedgen.runs.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedgen split}: writes each client's data of a run as its own files, for real client processes. */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Writes the client split that 'fedgen train' uses with the same options: DIR/client-K/ with",
            "train- and eval- IDX image and label files for K = 0..N-1, and DIR/split.json."})
public final class SplitCommand implements Callable<Integer> {
    @Option(names = "--clients", description = "Number of clients (default: ${DEFAULT-VALUE}, as train).")
    int clients = 10;

    @Option(names = "--partition", description = "Data split: dirichlet, iid, shards, pool (default: "
            + "${DEFAULT-VALUE}, as train).")
    PartitionKind partition = PartitionKind.dirichlet;

    @Option(names = "--alpha", description = "Dirichlet concentration α (default: ${DEFAULT-VALUE}, as train).")
    double alpha = 0.5;

    @Option(names = "--labels-per-client", description = "Labels per client for --partition shards (default: "
            + "${DEFAULT-VALUE}, as train).")
    int labelsPerClient = 2;

    @Option(names = "--shard-size", description = "Digits per client for --partition pool (default: "
            + "${DEFAULT-VALUE}, as train).")
    int shardSize = 10;

    @Option(names = "--seed", description = "Run seed, of which the partition derives (default: ${DEFAULT-VALUE}, "
            + "as train).")
    long seed = 42;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() {
        RunConfig config = RunConfig.builder().clients(clients).partition(partition).alpha(alpha)
                .labelsPerClient(labelsPerClient).shardSize(shardSize).seed(seed).build();
        String fingerprint = ClientSplitWriter.write(config, out);
        System.out.println("wrote " + clients + " client folders to " + out.toAbsolutePath() + " (data fingerprint "
                + fingerprint + ")");
        return 0;
    }
}
