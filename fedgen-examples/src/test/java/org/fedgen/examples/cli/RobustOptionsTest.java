package org.fedgen.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.fedgen.runs.AggregatorKind;
import org.fedgen.runs.AttackKind;
import org.fedgen.runs.RobustSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The robust-aggregation and attack options: dashed names, mapping to the settings, one-line errors. */
class RobustOptionsTest {
    private static RunOptions parse(String... args) {
        RunOptions o = new RunOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    private static String fails(String... args) {
        CommandLine cli = FedgenCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute(args), err.toString());
        return err.toString();
    }

    @Test
    void dashedNamesMapToTheSettings() {
        RunOptions o = parse("--aggregator", "trimmed-mean", "--trim-fraction", "0.2", "--attack", "sign-flip",
                "--attack-fraction", "0.3", "--attack-scale", "2", "--max-client-weight", "0.5");
        assertEquals(AggregatorKind.trimmed_mean, o.aggregator);
        assertEquals(new RobustSettings(0.2, 1, 0, 1.0, 3, 1e-6, 0.5, AttackKind.sign_flip, 0.3, 2.0, 0),
                o.robust.toSettings());
        assertEquals("runs/vae-trimmed-mean", o.toConfig().outputDirectory().toString());
        assertEquals(AggregatorKind.multi_krum, parse("--aggregator", "multi-krum").aggregator);
        assertEquals(RobustSettings.defaults(), parse().robust.toSettings());
    }

    @Test
    void badValuesFailWithOneLineNamingTheOption() {
        assertTrue(fails("train", "--aggregator", "bogus").contains("'bogus'"));
        assertTrue(fails("train", "--attack", "flip").contains("'flip'"));
        String[][] cases = {
            {"--aggregator", "trimmed-mean", "--trim-fraction", "0.5",
                "--trim-fraction must be in [0, 0.5), got 0.5"},
            {"--aggregator", "norm-bound", "--norm-bound", "0", "--norm-bound must be finite and > 0, got 0.0"},
            {"--aggregator", "rfa", "--rfa-iterations", "0", "--rfa-iterations must be >= 1, got 0"},
            {"--seed", "42", "--max-client-weight", "1.5", "--max-client-weight must be in (0, 1], got 1.5"},
            {"--attack", "scale", "--attack-fraction", "-0.1", "--attack-fraction must be in [0, 1], got -0.1"},
            {"--aggregator", "median", "--trim-fraction", "0.2",
                "--trim-fraction applies only with --aggregator trimmed-mean, got --aggregator median"},
            {"--attack", "label-flip", "--attack-scale", "2",
                "--attack-scale applies only with --attack sign-flip, scale or gaussian, got --attack label-flip"},
        };
        for (String[] c : cases) {
            String err = fails("train", "--rounds", "1", "--quality-samples", "0", "--out", "target/robust-bad",
                    c[0], c[1], c[2], c[3]);
            assertTrue(err.contains(c[4]), err);
            assertEquals(1, err.strip().lines().count(), err);
        }
        String krum = fails("train", "--rounds", "1", "--quality-samples", "0", "--out", "target/robust-bad",
                "--aggregator", "krum", "--krum-f", "4");
        assertTrue(krum.contains("2f + 3 = 11") && krum.contains("have 10"), krum);
    }
}
