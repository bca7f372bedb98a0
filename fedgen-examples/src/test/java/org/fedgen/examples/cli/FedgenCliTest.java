package org.fedgen.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line builds (no clashing option names across mixins) and every command documents its options. */
class FedgenCliTest {
    private static String run(int expectedStatus, String... args) {
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
}
