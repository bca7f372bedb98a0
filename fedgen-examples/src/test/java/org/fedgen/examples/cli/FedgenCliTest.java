package org.fedgen.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line builds (no clashing option names across mixins) and every command documents its options. */
class FedgenCliTest {
    /** Runs the command line in-process; returns what it wrote to its out and err streams. */
    static String run(int expectedStatus, String... args) {
        CommandLine cli = FedgenCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(expectedStatus, cli.execute(args), err.toString());
        return out + err.toString();
    }

    @Test
    void everySubcommandPrintsItsHelp() {
        for (String sub : new CommandLine(new FedgenCli()).getSubcommands().keySet()) {
            String help = run(0, sub, "--help");
            assertTrue(help.contains("Usage: fedgen " + sub), help);
        }
        String train = run(0, "train", "--help");
        for (String option : new String[] {"--clients", "--rounds", "--local-epochs", "--aggregator", "--partition",
            "--workers", "--out", "--samples", "--seed", "--model", "--topology", "--conditional", "--dp-noise",
            "--centralized", "--quality-samples"}) {
            assertTrue(train.contains(option), "train --help lacks " + option);
        }
    }

    @Test
    void badValuesAreRejectedWithTheirName() {
        String out = run(2, "privacy", "--q", "1.5", "--z", "1", "--rounds", "10", "--delta", "1e-5");
        assertTrue(out.contains("1.5"), out);
    }

    /** Runs a command that must fail with status 2 and one line naming the bad value. */
    private static void refused(String expected, String... args) {
        String out = run(2, args).trim();
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("fedgen: ") && out.contains(expected), out);
    }

    @Test
    void privacyRefusesParametersWithoutAMeaningfulEpsilon() {
        refused("--q must be in (0, 1], got 0.0", "privacy", "--q", "0", "--z", "1", "--rounds", "10");
        refused("--q must be in (0, 1], got 1.5", "privacy", "--q", "1.5", "--z", "1", "--rounds", "10");
        refused("--z must be finite and > 0, got 0.0", "privacy", "--q", "0.1", "--z", "0", "--rounds", "10");
        refused("--z must be finite and > 0, got NaN", "privacy", "--q", "0.1", "--z", "NaN", "--rounds", "10");
        refused("--z must be finite and > 0, got Infinity", "privacy", "--q", "0.1", "--z", "Infinity", "--rounds",
                "10");
        refused("--rounds must be >= 1, got 0", "privacy", "--q", "0.1", "--z", "1", "--rounds", "0");
        refused("--delta must be in (0, 1), got 1.0", "privacy", "--q", "0.1", "--z", "1", "--rounds", "5",
                "--delta", "1");
        refused("needs --q, --z and --rounds", "privacy", "--q", "0.1");
    }

    @Test
    void commandsThatIgnoreDpOptionsRefuseThem() {
        refused("fedgen bench has no differential privacy and would ignore --dp-noise, --dp-clip", "bench",
                "--dp-noise", "1", "--dp-clip", "1");
        refused("--topology mdgan cannot be combined with DP (--dp-*)", "train",
                "--model", "gan", "--topology", "mdgan", "--dp-noise", "1", "--dp-clip", "1", "--out",
                System.getProperty("java.io.tmpdir") + "/fedgen-cli-test-mdgan");
        refused("--dp-delta applies only with --dp-noise", "train", "--dp-delta", "1e-6", "--rounds", "1", "--out",
                System.getProperty("java.io.tmpdir") + "/fedgen-cli-test-delta");
    }

    @Test
    void trainingRefusesANoiseMultiplierWithoutPrivacy() {
        refused("--dp-noise must be finite and > 0 (z = 0 is no privacy), got 0.0", "train", "--dp-noise", "0",
                "--dp-clip", "1", "--rounds", "1", "--out", System.getProperty("java.io.tmpdir")
                + "/fedgen-cli-test-z0");
    }
}
