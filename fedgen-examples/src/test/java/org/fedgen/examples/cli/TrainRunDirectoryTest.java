package org.fedgen.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fedgen train} never trains over an existing run by accident, and {@code --config} replays a run. */
class TrainRunDirectoryTest {
    @TempDir
    Path dir;

    private static final List<String> TINY = List.of("train", "--clients", "2", "--partition", "iid", "--rounds",
            "2", "--local-steps", "1", "--batch-size", "8", "--workers", "1", "--eval-every", "1",
            "--quality-samples", "0", "--samples", "0");

    private static int run(StringWriter err, List<String> args) {
        CommandLine cli = FedgenCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args.toArray(String[]::new));
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a;
    }

    private static Map<String, byte[]> contents(Path d) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                m.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return m;
    }

    /** metrics.csv without its wall_ms column. */
    private static List<String> metricsWithoutTime(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        int wall = header.indexOf("wall_ms");
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            if (wall >= 0) {
                cells.remove(wall);
            }
            out.add(String.join(",", cells));
        }
        return out;
    }

    @Test
    void rerunningIntoARunDirectoryExitsNonZeroAndLeavesItUntouched() throws Exception {
        Path out = dir.resolve("run");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, with(TINY, "--out", out.toString())), err.toString());
        Map<String, byte[]> before = contents(out);
        assertTrue(before.containsKey("config.json") && before.containsKey("checkpoint.fgs"), before.keySet()
                .toString());
        StringWriter again = new StringWriter();
        assertEquals(2, run(again, with(TINY, "--out", out.toString(), "--seed", "5")));
        assertEquals(List.of("fedgen: output directory " + out + " already holds a run (checkpoint.fgs); pass "
                + "--overwrite to replace it, or choose another --out"), again.toString().lines().toList());
        Map<String, byte[]> after = contents(out);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((f, b) -> assertArrayEquals(b, after.get(f), f));
        StringWriter over = new StringWriter();
        assertEquals(0, run(over, with(TINY, "--out", out.toString(), "--seed", "5", "--overwrite")),
                over.toString());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"seed\" : 5"));
    }

    @Test
    void configJsonOfARunReplaysItAndRefusesOtherRunOptions() throws Exception {
        Path first = dir.resolve("first");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, with(TINY, "--out", first.toString(), "--seed", "9")), err.toString());
        Path config = first.resolve("config.json");
        Path second = dir.resolve("second");
        assertEquals(0, run(err, List.of("train", "--config", config.toString(), "--out", second.toString())),
                err.toString());
        assertEquals(metricsWithoutTime(first.resolve("metrics.csv")), metricsWithoutTime(second.resolve(
                "metrics.csv")));
        StringWriter refused = new StringWriter();
        assertEquals(2, run(refused, List.of("train", "--config", config.toString(), "--rounds", "3", "--out",
                dir.resolve("third").toString())));
        assertEquals(List.of("fedgen: --rounds cannot be combined with --config " + config + ": the file sets the "
                + "run's configuration (edit it instead)"), refused.toString().lines().toList());
    }

    @Test
    void resumeContinuesARunAndRefusesOtherRunOptions() throws Exception {
        Path out = dir.resolve("r");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, with(TINY, "--out", out.toString())), err.toString());
        List<String> two = metricsWithoutTime(out.resolve("metrics.csv"));
        StringWriter refused = new StringWriter();
        assertEquals(2, run(refused, List.of("train", "--resume", out.toString(), "--seed", "3")));
        assertEquals(List.of("fedgen: --seed cannot be combined with --resume " + out + ": the run continues with "
                + "the configuration its checkpoint records (only --rounds may extend it)"),
                refused.toString().lines().toList());
        assertEquals(0, run(err, List.of("train", "--resume", out.toString(), "--rounds", "3")), err.toString());
        List<String> three = metricsWithoutTime(out.resolve("metrics.csv"));
        assertEquals(two, three.subList(0, 3));
        assertEquals(4, three.size());
    }
}
