package org.fedgen.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fedgen sample} and {@code ddpm-sample} read the model from the checkpoint, with no other flag. */
class SampleCommandTest {
    @TempDir
    Path dir;

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = FedgenCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private Path trainDdpm() {
        Path out = dir.resolve("ddpm");
        StringWriter err = new StringWriter();
        assertEquals(0, run(new StringWriter(), err, "train", "--model", "ddpm", "--mlp-width", "8", "--mlp-depth",
                "1", "--timesteps", "21", "--ddim-steps", "2", "--clients", "2", "--partition", "iid", "--rounds",
                "1", "--local-steps", "1", "--batch-size", "8", "--workers", "1", "--quality-samples", "0",
                "--samples", "0", "--out", out.toString()), err.toString());
        return out.resolve("checkpoint.fgs");
    }

    /** Guidance and its interval only change how samples are drawn: ddpm-sample takes them over the run's. */
    @Test
    void ddpmSampleTakesGuidanceAndItsIntervalOverTheCheckpoints() throws Exception {
        Path out = dir.resolve("cfg");
        StringWriter err = new StringWriter();
        assertEquals(0, run(new StringWriter(), err, "train", "--model", "ddpm", "--conditional", "--label-dropout",
                "0.1", "--guidance", "4", "--mlp-width", "8", "--mlp-depth", "1", "--timesteps", "21",
                "--ddim-steps", "2", "--clients", "2", "--partition", "iid", "--rounds", "1", "--local-steps", "1",
                "--batch-size", "8", "--workers", "1", "--quality-samples", "0", "--samples", "0", "--out",
                out.toString()), err.toString());
        Path cp = out.resolve("checkpoint.fgs");
        assertEquals(0, run(new StringWriter(), err, "ddpm-sample", "--checkpoint", cp.toString(), "--samples", "2",
                "--conditional", "--guidance", "2", "--guidance-interval", "0.3,0.7", "--guidance-schedule",
                "step:0.9,1"), err.toString());
        assertEquals(16 + 2 * 28 * 28, Files.size(cp.resolveSibling("ddpm-samples-ddim2-idx3-ubyte")));
        StringWriter refused = new StringWriter();
        assertEquals(2, run(new StringWriter(), refused, "ddpm-sample", "--checkpoint", cp.toString(),
                "--conditional", "--label-dropout", "0.2"));
        assertEquals(List.of("fedgen: --label-dropout 0.2 contradicts the checkpoint's labelDropout 0.1 (" + cp
                + ")"), refused.toString().lines().toList());
    }

    @Test
    void aTableRunsCheckpointSamplesRows() throws Exception {
        StringBuilder sb = new StringBuilder("x,c\n");
        for (int i = 0; i < 20; i++) {
            sb.append(i).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, sb.toString());
        Path out = dir.resolve("table");
        StringWriter err = new StringWriter();
        assertEquals(0, run(new StringWriter(), err, "train", "--data", csv.toString(), "--model", "ddpm",
                "--mlp-width", "8", "--mlp-depth", "1", "--timesteps", "21", "--ddim-steps", "2", "--clients", "2",
                "--rounds", "1", "--local-steps", "1", "--workers", "1", "--samples", "4", "--out", out.toString()),
                err.toString());
        Path cp = out.resolve("checkpoint.fgs");
        assertEquals(0, run(new StringWriter(), err, "sample", "--checkpoint", cp.toString(), "--n", "7"),
                err.toString());
        List<String> rows = Files.readAllLines(out.resolve("sample.csv"));
        assertEquals("x,c", rows.get(0));
        assertEquals(8, rows.size());
        StringWriter refused = new StringWriter();
        assertEquals(2, run(new StringWriter(), refused, "ddpm-sample", "--checkpoint", cp.toString()));
        assertEquals(List.of("fedgen: " + cp + " is of a run on the table " + csv + ", whose samples are rows; use "
                + "fedgen sample"), refused.toString().lines().toList());
    }

    @Test
    void sampleAndDdpmSampleNeedOnlyTheCheckpointAndRefuseContradictingFlags() throws Exception {
        Path cp = trainDdpm();
        StringWriter err = new StringWriter();
        assertEquals(0, run(new StringWriter(), err, "sample", "--checkpoint", cp.toString(), "--n", "5"),
                err.toString());
        assertEquals(16 + 5 * 28 * 28, Files.size(cp.resolveSibling("sample-idx3-ubyte")));
        assertTrue(Files.size(cp.resolveSibling("sample.png")) > 0);
        assertEquals(0, run(new StringWriter(), err, "ddpm-sample", "--checkpoint", cp.toString(), "--samples", "3"),
                err.toString());
        assertEquals(16 + 3 * 28 * 28, Files.size(cp.resolveSibling("ddpm-samples-ddim2-idx3-ubyte")),
                "the DDIM steps of the run, read from the checkpoint");
        StringWriter refused = new StringWriter();
        assertEquals(2, run(new StringWriter(), refused, "ddpm-sample", "--checkpoint", cp.toString(),
                "--timesteps", "50"));
        assertEquals(List.of("fedgen: --timesteps 50 contradicts the checkpoint's timesteps 21 (" + cp + ")"),
                refused.toString().lines().toList());
        assertEquals(0, run(new StringWriter(), err, "ddpm-sample", "--checkpoint", cp.toString(), "--samples", "2",
                "--ddim-steps", "3"), err.toString());
        assertEquals(16 + 2 * 28 * 28, Files.size(cp.resolveSibling("ddpm-samples-ddim3-idx3-ubyte")),
                "--ddim-steps is a sampling option, not refused");
        StringWriter labels = new StringWriter();
        assertEquals(2, run(new StringWriter(), labels, "sample", "--checkpoint", cp.toString(), "--labels",
                "0,3,7"));
        assertEquals(List.of("fedgen: " + cp + " holds an unconditional ddpm model, which cannot draw requested "
                + "labels (train with --conditional)"), labels.toString().lines().toList());
    }
}
