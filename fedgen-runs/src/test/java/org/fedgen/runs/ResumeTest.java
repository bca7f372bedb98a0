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
import java.util.stream.Stream;
import org.fedgen.core.RoundListener;
import org.fedgen.models.gan.GanTopology;
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

    static Stream<Arguments> runs() {
        return Stream.of(Arguments.of("vae-fedavg", VaeSettings.defaults(), AggregatorKind.fedavg, 2),
                Arguments.of("vae-fedprox", VaeSettings.defaults(), AggregatorKind.fedprox, 1),
                Arguments.of("flgan", GanSettings.builder().generatorSteps(1).generatorAverageDecay(0.5).build(),
                        AggregatorKind.fedavg, 2),
                Arguments.of("ddpm-ema", DdpmSettings.builder().mlpWidth(8).mlpDepth(1).timesteps(21).ddimSteps(2)
                        .emaDecay(0.5).build(), AggregatorKind.fedavg, 3));
    }

    private RunConfig tiny(ModelSettings model, AggregatorKind aggregator, Path out) {
        return RunConfig.builder().model(model).aggregator(aggregator).clients(3).clientsPerRound(2)
                .partition(PartitionKind.iid).rounds(4).localSteps(2).batchSize(8).workers(1).evalEvery(2)
                .qualitySamples(0).samples(4).out(out).build();
    }

    /** metrics.csv lines without the wall_ms column. */
    static List<String> withoutTime(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int wall = List.of(lines.get(0).split(",", -1)).indexOf("wall_ms");
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(wall);
            out.add(String.join(",", cells));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void aResumedRunEndsBitIdenticalToTheStraightRun(String name, ModelSettings model, AggregatorKind aggregator,
            int killedAfter) throws Exception {
        Path out = dir.resolve(name);
        Path crash = dir.resolve(name + "-crash");
        Files.createDirectories(crash);
        RoundListener snapshot = r -> {
            try {
                if (r.round() == killedAfter) {
                    Files.copy(out.resolve("checkpoint.fgs"), crash.resolve("checkpoint.fgs"));
                }
                if (r.round() == killedAfter + 1) {
                    Files.copy(out.resolve("metrics.csv"), crash.resolve("metrics.csv"));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        RunConfig o = tiny(model, aggregator, out);
        new FederatedRun(o, snapshot).run();
        byte[] straightCheckpoint = Files.readAllBytes(out.resolve("checkpoint.fgs"));
        byte[] straightSamples = Files.readAllBytes(out.resolve("samples-idx3-ubyte"));
        List<String> straightMetrics = withoutTime(out.resolve("metrics.csv"));
        assertEquals(5, straightMetrics.size());

        // The directory as the kill left it.
        Files.copy(out.resolve("config.json"), crash.resolve("config.json"));
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        for (String f : List.of("checkpoint.fgs", "metrics.csv", "config.json")) {
            Files.copy(crash.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(out.resolve(".checkpoint.fgs.77.tmp"), "partial");
        assertEquals(killedAfter + 2, Files.readAllLines(out.resolve("metrics.csv")).size(), "one row ahead");

        assertThrows(IllegalArgumentException.class, () -> new FederatedRun(o).run(), "a plain rerun is refused");
        List<Long> resumedRounds = new ArrayList<>();
        FederatedRun.resume(out, null, r -> resumedRounds.add(r.round())).run();
        assertEquals(List.of(2L, 3L, 4L).subList(killedAfter - 1, 3), resumedRounds);
        assertArrayEquals(straightCheckpoint, Files.readAllBytes(out.resolve("checkpoint.fgs")));
        assertArrayEquals(straightSamples, Files.readAllBytes(out.resolve("samples-idx3-ubyte")));
        assertEquals(straightMetrics, withoutTime(out.resolve("metrics.csv")));
        assertFalse(Files.exists(out.resolve(".checkpoint.fgs.77.tmp")));
    }

    @Test
    void resumingMayExtendTheRoundsButNotShortenThemAndRefusesWhatItCannotRestore() throws Exception {
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

        Path md = dir.resolve("md");
        new FederatedRun(RunConfig.builder().model(GanSettings.builder().topology(GanTopology.MDGAN)
                .generatorSteps(1).build()).clients(2).partition(PartitionKind.iid).rounds(1).localSteps(1)
                .batchSize(8).workers(1).evalEvery(1).qualitySamples(0).samples(0).out(md).build()).run();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FederatedRun.resume(md, 2));
        assertEquals("cannot resume the run in " + md + " yet: --topology mdgan keeps client-side or server-step "
                + "state that is not checkpointed", e.getMessage());
    }
}
