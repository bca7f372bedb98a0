package org.fedgen.examples.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.runs.AggregatorKind;
import org.fedgen.runs.AttackKind;
import org.fedgen.runs.PartitionKind;
import org.fedgen.runs.ServerOptimizerKind;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * Refuses options given on the command line that the chosen model, topology, aggregator, partition or DP setting
 * would ignore (e.g. {@code --guidance} for a VAE, {@code --dp-delta} without {@code --dp-noise}), naming the option
 * and what it needs.
 */
final class OptionScope {
    private OptionScope() {
    }

    /** @throws IllegalArgumentException naming the first given option that does not apply */
    static void refuseInapplicable(ParseResult given, RunOptions o) {
        String model = "--model " + o.model;
        need(given, names(GanOptions.class), o.model == RunOptions.ModelKind.gan, "--model gan", model);
        need(given, names(DdpmOptions.class), o.model == RunOptions.ModelKind.ddpm, "--model ddpm", model);
        need(given, List.of("--conditional"), o.model != RunOptions.ModelKind.vae, "--model gan or ddpm", model);
        need(given, List.of("--vae-optimizer"), o.model == RunOptions.ModelKind.vae, "--model vae", model);
        List<String> dp = new ArrayList<>(names(DpOptions.class));
        dp.remove("--dp-noise");
        need(given, dp, o.dp.enabled(), "--dp-noise (DP-FedAvg)", "no --dp-noise");
        need(given, List.of("--dp-fixed-size-batches"), o.dp.unit != org.fedgen.runs.DpUnit.client,
                "--dp-unit record or both", "--dp-unit " + o.dp.unit);
        need(given, List.of("--dp-record-noise", "--dp-record-clip", "--dp-record-target-epsilon"),
                o.dp.unit == org.fedgen.runs.DpUnit.both, "--dp-unit both", "--dp-unit " + o.dp.unit);
        List<String> secagg = new ArrayList<>(names(SecureAggregationOptions.class));
        secagg.remove("--secure-aggregation");
        need(given, secagg, o.secureAggregation.enabled, "--secure-aggregation", "no --secure-aggregation");
        GanTopology t = o.model == RunOptions.ModelKind.gan ? o.gan.topology : null;
        String topology = t == null ? model : "--topology " + t;
        need(given, List.of("--gen-steps"), t == GanTopology.DPFEDAVG_GAN, "--topology dpfedavg-gan", topology);
        need(given, List.of("--md-local-steps", "--swap-epochs", "--client-codes"), t == GanTopology.MDGAN,
                "--topology mdgan", topology);
        need(given, List.of("--critic-steps"), t != GanTopology.MDGAN || o.gan.mdLocalSteps == null,
                "a topology whose clients train locally, or mdgan without --md-local-steps", topology
                        + " --md-local-steps");
        need(given, List.of("--class-loss-weight", "--twin-classifier"), o.gan.conditional, "--conditional",
                "an unconditional GAN");
        String aggregator = "--aggregator " + o.aggregator;
        need(given, List.of("--mu"), o.aggregator == AggregatorKind.fedprox, "--aggregator fedprox", aggregator);
        String serverOpt = "--server-opt " + o.serverOptimizer;
        // FedExP sets its own step size each round: it takes neither a learning rate nor a momentum.
        boolean steppedServer = o.serverOptimizer != ServerOptimizerKind.none
                && o.serverOptimizer != ServerOptimizerKind.fedexp;
        // SCAFFOLD's own η_g, unless a stepped server optimizer takes the rate (SCAFFOLD then steps by 1)
        need(given, List.of("--server-lr"), o.aggregator == AggregatorKind.fedsgd
                || o.aggregator == AggregatorKind.scaffold || steppedServer,
                "--aggregator fedsgd or scaffold, or --server-opt avgm, adam or yogi", aggregator + " " + serverOpt);
        need(given, List.of("--server-momentum", "--server-lr-decay"), steppedServer,
                "--server-opt avgm, adam or yogi", serverOpt);
        need(given, List.of("--server-beta2", "--server-tau"), o.serverOptimizer == ServerOptimizerKind.adam
                || o.serverOptimizer == ServerOptimizerKind.yogi, "--server-opt adam or yogi", serverOpt);
        need(given, List.of("--server-opt"), !o.centralized, "a federated run (the centralized baseline has no "
                + "server step)", "--centralized");
        need(given, List.of("--mmd-temperature", "--mmd-sign", "--mmd-threshold", "--mmd-data-weights"),
                o.aggregator == AggregatorKind.mmd || t == GanTopology.IFLGAN, "--aggregator mmd or --topology iflgan",
                t == null ? aggregator : aggregator + " " + topology);
        AggregatorKind a = o.aggregator;
        need(given, List.of("--trim-fraction"), a == AggregatorKind.trimmed_mean, "--aggregator trimmed-mean",
                aggregator);
        need(given, List.of("--krum-f"), a == AggregatorKind.krum || a == AggregatorKind.multi_krum,
                "--aggregator krum or multi-krum", aggregator);
        need(given, List.of("--krum-m"), a == AggregatorKind.multi_krum, "--aggregator multi-krum", aggregator);
        need(given, List.of("--norm-bound"), a == AggregatorKind.norm_bound, "--aggregator norm-bound", aggregator);
        need(given, List.of("--rfa-iterations", "--rfa-nu"), a == AggregatorKind.rfa, "--aggregator rfa", aggregator);
        AttackKind attack = o.robust.attack;
        String attackGot = "--attack " + attack;
        need(given, List.of("--attack-fraction"), attack != AttackKind.none, "an --attack", attackGot);
        need(given, List.of("--attack-scale"), attack == AttackKind.sign_flip || attack == AttackKind.scale
                || attack == AttackKind.gaussian, "--attack sign-flip, scale or gaussian", attackGot);
        need(given, List.of("--backdoor-label"), attack == AttackKind.backdoor, "--attack backdoor", attackGot);
        need(given, List.of("--clients", "--partition", "--alpha", "--labels-per-client", "--shard-size"),
                o.images.dataDir == null, "the bundled digits or --data (with --data-dir the client folders are the "
                + "partition)", "--data-dir " + o.images.dataDir);
        need(given, List.of("--schema", "--partition-by"), o.images.table() != null, "--data FILE.csv", "the bundled digits");
        need(given, List.of("--quality-samples"), o.images.table() == null, "the bundled digits (FID, precision/recall and "
                + "label coverage use digit-classifier features)", "--data " + o.images.table());
        need(given, List.of("--clients", "--partition"), o.partitionBy == null, "no --partition-by (the column's "
                + "values are the clients)", "--partition-by " + o.partitionBy);
        String partition = "--partition " + o.partition;
        need(given, List.of("--alpha"), o.partition == PartitionKind.dirichlet, "--partition dirichlet", partition);
        need(given, List.of("--labels-per-client"), o.partition == PartitionKind.shards, "--partition shards",
                partition);
    }

    private static void need(ParseResult given, List<String> options, boolean applies, String needs, String got) {
        if (applies) {
            return;
        }
        for (String name : options) {
            if (given.hasMatchedOption(name)) {
                throw new IllegalArgumentException(name + " applies only with " + needs + ", got " + got);
            }
        }
    }

    /** The long names of the options a mixin class declares. */
    private static List<String> names(Class<?> options) {
        List<String> names = new ArrayList<>();
        for (Field f : options.getDeclaredFields()) {
            Option opt = f.getAnnotation(Option.class);
            if (opt != null) {
                names.add(opt.names()[0]);
            }
        }
        return names;
    }
}
