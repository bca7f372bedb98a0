package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.fedgen.core.RoundListener;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.privacy.RdpAccountant;
import org.fedgen.privacy.RdpAccountant.Conversion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run killed after its metrics row of round k+1 but before that round's checkpoint (the on-disk state of a SIGKILL
 * between the two writes: checkpoint of round k, metrics.csv one row ahead, a stale temp file), then resumed, ends
 * with the same checkpoint bytes and metrics rows (wall_ms excluded) as the same run done straight.
 */
class ResumeTest {
    @TempDir
    Path dir;

    /** A DP run with seeded noise and seeded Poisson sampling (reproducible, so resumable bit for bit). */
    static UnaryOperator<RunConfig.Builder> seededDp(UnaryOperator<DpConfig.Builder> more) {
        return b -> b.clientsPerRound(0).dp(more.apply(DpConfig.builder(0.2, 1.0).q(0.7).seededNoise(true)
                .seededSampling(true)).build());
    }

    static Stream<Arguments> runs() {
        UnaryOperator<RunConfig.Builder> same = UnaryOperator.identity();
        return Stream.of(Arguments.of("vae-fedavg", VaeSettings.defaults(), AggregatorKind.fedavg, 2, same),
                Arguments.of("vae-fedprox", VaeSettings.defaults(), AggregatorKind.fedprox, 1, same),
                // SCAFFOLD: the server control in the aggregator state, each client's control in its store.
                Arguments.of("vae-scaffold", VaeSettings.defaults(), AggregatorKind.scaffold, 2, same),
                Arguments.of("flgan-scaffold", GanSettings.builder().generatorSteps(1).build(),
                        AggregatorKind.scaffold, 2, same),
                Arguments.of("ddpm-scaffold", DdpmSettings.builder().mlpWidth(8).mlpDepth(1).timesteps(21)
                        .ddimSteps(2).build(), AggregatorKind.scaffold, 2, same),
                Arguments.of("flgan", GanSettings.builder().generatorSteps(1).generatorAverageDecay(0.5).build(),
                        AggregatorKind.fedavg, 2, same),
                Arguments.of("ddpm-ema", DdpmSettings.builder().mlpWidth(8).mlpDepth(1).timesteps(21).ddimSteps(2)
                        .emaDecay(0.5).build(), AggregatorKind.fedavg, 3, same),
                Arguments.of("vae-dp-seeded", VaeSettings.defaults(), AggregatorKind.fedavg, 2,
                        seededDp(UnaryOperator.identity())),
                Arguments.of("vae-dp-seeded-adaptive-momentum", VaeSettings.defaults(), AggregatorKind.fedavg, 1,
                        seededDp(d -> d.adaptiveClip(true).serverMomentum(0.9))),
                // The encoders stay on the clients: local-only parts in the clients' stores.
                Arguments.of("vae-dp-decoder-only", VaeSettings.defaults(), AggregatorKind.fedavg, 2,
                        seededDp(d -> d.parts(List.of("decoder")))),
                // MMD aggregation: adoption decisions on the server, kept generators on the clients.
                Arguments.of("iflgan", GanSettings.builder().topology(GanTopology.IFLGAN).generatorSteps(1).build(),
                        AggregatorKind.mmd, 2, same),
                Arguments.of("dpfedavg-gan", GanSettings.builder().topology(GanTopology.DPFEDAVG_GAN)
                        .generatorSteps(1).build(), AggregatorKind.fedavg, 2, seededDp(UnaryOperator.identity())),
                Arguments.of("mdgan", GanSettings.builder().topology(GanTopology.MDGAN).generatorSteps(1)
                        .swapEpochs(1).generatorAverageDecay(0.5).build(), AggregatorKind.fedavg, 2,
                        (UnaryOperator<RunConfig.Builder>) b -> b.clientsPerRound(0)),
                // Record-level DP-SGD with seeded noise and batches: per-client ledgers in the checkpoint.
                Arguments.of("vae-dp-record-seeded", VaeSettings.defaults(), AggregatorKind.fedavg, 2,
                        (UnaryOperator<RunConfig.Builder>) b -> b.dp(DpConfig.builder(1.0, 0.01).unit(DpUnit.record)
                                .seededNoise(true).seededSampling(true).build())),
                Arguments.of("vae-secagg", VaeSettings.defaults(), AggregatorKind.fedavg, 2,
                        (UnaryOperator<RunConfig.Builder>) b -> b.secureAggregation(new SecureAggregationSettings(2,
                                16, 1.0, 0, 0, null))));
    }

    static RunConfig tiny(ModelSettings model, AggregatorKind aggregator, Path out) {
        return tinyBuilder(model, aggregator, out).build();
    }

    static RunConfig.Builder tinyBuilder(ModelSettings model, AggregatorKind aggregator, Path out) {
        return RunConfig.builder().model(model).aggregator(aggregator).clients(3).clientsPerRound(2)
                .partition(PartitionKind.iid).rounds(4).localSteps(2).batchSize(8).workers(1).evalEvery(2)
                .qualitySamples(0).samples(4).out(out);
    }

    /** metrics.csv lines without the time columns (wall_ms, server_g_ms, ...: every one ending in _ms). */
    static List<String> withoutTime(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            List<String> kept = new ArrayList<>();
            for (int c = 0; c < cells.length; c++) {
                if (!header.get(c).endsWith("_ms")) {
                    kept.add(cells[c]);
                }
            }
            out.add(String.join(",", kept));
        }
        return out;
    }

    /**
     * Copies, into {@code crash}, the checkpoint of round k and the metrics.csv of round k+1: what a SIGKILL between
     * round k+1's metrics row and its checkpoint leaves.
     */
    static RoundListener killedAfter(int k, Path out, Path crash) {
        return r -> {
            try {
                Files.createDirectories(crash);
                if (r.round() == k) {
                    Files.copy(out.resolve("checkpoint.fgs"), crash.resolve("checkpoint.fgs"));
                }
                if (r.round() == k + 1) {
                    Files.copy(out.resolve("metrics.csv"), crash.resolve("metrics.csv"));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** Empties {@code out} and puts back what {@link #killedAfter} kept, with config.json. */
    static void leaveAsKilled(Path out, Path crash) throws Exception {
        Files.copy(out.resolve("config.json"), crash.resolve("config.json"));
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        for (String f : List.of("checkpoint.fgs", "metrics.csv", "config.json")) {
            Files.copy(crash.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The values of one metrics.csv column, one per round. */
    static List<Double> column(Path csv, String name) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int c = List.of(lines.get(0).split(",", -1)).indexOf(name);
        assertTrue(c >= 0, name + " in " + lines.get(0));
        return lines.subList(1, lines.size()).stream().map(l -> Double.parseDouble(l.split(",", -1)[c])).toList();
    }

    @Test
    void withSecureNoiseAndSamplingTheResumedEpsilonIncludesEveryRoundBeforeTheCrash() throws Exception {
        Path out = dir.resolve("dp-secure");
        Path crash = dir.resolve("dp-secure-crash");
        // Secure noise differs from run to run: a small clip norm keeps it (std z·S/(qW) ≈ 0.004) from ever
        // diverging the VAE, so the test does not depend on the draw.
        double z = 0.9;
        RunConfig o = tiny(VaeSettings.defaults(), AggregatorKind.fedavg, out).toBuilder().clientsPerRound(0)
                .dp(DpConfig.builder(z, 0.01).q(0.7).build()).build();
        new FederatedRun(o, killedAfter(2, out, crash)).run();
        List<Double> straight = column(out.resolve("metrics.csv"), "epsilon");
        leaveAsKilled(out, crash);
        FederatedRun.resume(out, null).run();
        List<Double> resumed = column(out.resolve("metrics.csv"), "epsilon");

        // The accounting depends on (q, z, rounds) only, not on the secure noise or sample: exactly equal.
        assertEquals(straight, resumed);
        double q = 0.7 * 3 / 3;
        RdpAccountant independent = new RdpAccountant(RdpAccountant.defaultOrders(), 3);
        for (int r = 1; r <= 4; r++) {
            independent.step(q, z);
            assertEquals(independent.epsilon(1e-5, Conversion.TIGHT).epsilon(), resumed.get(r - 1), "round " + r);
        }
        // A reset accountant would report the two resumed rounds as if they were the only ones.
        assertTrue(resumed.get(3) > new RdpAccountant(RdpAccountant.defaultOrders(), 3).steps(q, z, 2)
                .epsilon(1e-5, Conversion.TIGHT).epsilon());
    }

    /**
     * A record-level run with secure noise and batches (not reproducible bit for bit), killed and resumed: every
     * client's ε column equals the straight run's exactly, because the per-client ledgers come back bit-exact; round
     * 4's ε is that of 4 rounds of each client's steps, which a reset ledger (2 rounds) would not report.
     */
    @Test
    void aResumedRecordLevelRunReportsTheStraightRunsEpsilonsExactly() throws Exception {
        Path out = dir.resolve("record-secure");
        Path crash = dir.resolve("record-secure-crash");
        // clientsPerRound 0: every client trains every round, so each client's ε is a function of the round alone.
        RunConfig o = tiny(VaeSettings.defaults(), AggregatorKind.fedavg, out).toBuilder().clientsPerRound(0)
                .dp(DpConfig.builder(1.0, 0.01).unit(DpUnit.record).build()).build();
        new FederatedRun(o, killedAfter(2, out, crash)).run();
        List<String> names = List.of("record_epsilon_max", "record_epsilon_0", "record_epsilon_1",
                "record_epsilon_2");
        List<List<Double>> straight = new ArrayList<>();
        for (String n : names) {
            straight.add(column(out.resolve("metrics.csv"), n));
        }
        leaveAsKilled(out, crash);
        FederatedRun.resume(out, null).run();
        List<Double> resumedMax = column(out.resolve("metrics.csv"), "record_epsilon_max");
        for (int i = 0; i < names.size(); i++) {
            assertEquals(straight.get(i), column(out.resolve("metrics.csv"), names.get(i)), names.get(i));
        }
        List<org.fedgen.core.data.Dataset> shards = FederatedRun.setup(o).shards();
        double max4 = 0;
        double max2 = 0;
        for (org.fedgen.core.data.Dataset shard : shards) {
            double q = 8.0 / shard.size();
            max4 = Math.max(max4, new RdpAccountant().steps(q, 1.0, 4 * 2).epsilon(1e-5).epsilon());
            max2 = Math.max(max2, new RdpAccountant().steps(q, 1.0, 2 * 2).epsilon(1e-5).epsilon());
        }
        assertEquals(max4, resumedMax.get(3), 1e-12 * max4);
        assertTrue(resumedMax.get(3) > max2, resumedMax + " vs a reset ledger's " + max2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void aResumedRunEndsBitIdenticalToTheStraightRun(String name, ModelSettings model, AggregatorKind aggregator,
            int killedAfter, UnaryOperator<RunConfig.Builder> more) throws Exception {
        Path out = dir.resolve(name);
        Path crash = dir.resolve(name + "-crash");
        Files.createDirectories(crash);
        RoundListener snapshot = killedAfter(killedAfter, out, crash);
        RunConfig o = more.apply(tinyBuilder(model, aggregator, out)).build();
        new FederatedRun(o, snapshot).run();
        byte[] straightCheckpoint = Files.readAllBytes(out.resolve("checkpoint.fgs"));
        byte[] straightSamples = Files.readAllBytes(out.resolve("samples-idx3-ubyte"));
        // No plot when no round reports a plotted metric (a seeded DP run's ε is not one).
        byte[] straightPlot = Files.exists(out.resolve("metrics.png")) ? Files.readAllBytes(out.resolve("metrics.png"))
                : null;
        List<String> straightMetrics = withoutTime(out.resolve("metrics.csv"));
        assertEquals(5, straightMetrics.size());

        leaveAsKilled(out, crash);
        Files.writeString(out.resolve(".checkpoint.fgs.77.tmp"), "partial");
        assertEquals(killedAfter + 2, Files.readAllLines(out.resolve("metrics.csv")).size(), "one row ahead");

        assertThrows(IllegalArgumentException.class, () -> new FederatedRun(o).run(), "a plain rerun is refused");
        List<Long> resumedRounds = new ArrayList<>();
        FederatedRun.resume(out, null, r -> resumedRounds.add(r.round())).run();
        assertEquals(List.of(2L, 3L, 4L).subList(killedAfter - 1, 3), resumedRounds);
        assertArrayEquals(straightCheckpoint, Files.readAllBytes(out.resolve("checkpoint.fgs")));
        assertArrayEquals(straightSamples, Files.readAllBytes(out.resolve("samples-idx3-ubyte")));
        assertEquals(straightMetrics, withoutTime(out.resolve("metrics.csv")));
        assertArrayEquals(straightPlot, Files.exists(out.resolve("metrics.png"))
                ? Files.readAllBytes(out.resolve("metrics.png")) : null, "every round plotted");
        assertFalse(Files.exists(out.resolve(".checkpoint.fgs.77.tmp")));
    }

    @Test
    void resumingMayExtendTheRoundsButNotShortenThem() throws Exception {
        Path out = dir.resolve("extend");
        RunConfig o = tiny(VaeSettings.defaults(), AggregatorKind.fedavg, out).toBuilder().rounds(2).build();
        new FederatedRun(o).run();
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
                () -> FederatedRun.resume(out, 1));
        assertEquals("--rounds 1 would shorten the run in " + out + ", which records rounds 2; --rounds may only "
                + "extend it", shorter.getMessage());
        FederatedRun.resume(out, 3).run();
        assertEquals(4, Files.readAllLines(out.resolve("metrics.csv")).size());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"rounds\" : 3"));
        Path straight = dir.resolve("straight");
        new FederatedRun(o.toBuilder().rounds(3).out(straight).build()).run();
        assertEquals(withoutTime(straight.resolve("metrics.csv")), withoutTime(out.resolve("metrics.csv")));
    }
}
