package org.fedgen.examples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedgen.core.RoundListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A real (tiny) federated DDPM run through the CLI's run path: the server-side EMA is what evaluation uses. */
class DdpmRunTest {
    @TempDir
    Path dir;

    private double[] epsLoss(String emaDecay) throws Exception {
        RunOptions o = new RunOptions();
        new CommandLine(o).parseArgs("--model", "ddpm", "--clients", "2", "--partition", "iid", "--rounds", "2",
                "--local-steps", "2", "--batch-size", "16", "--lr", "1e-2", "--workers", "1", "--eval-every", "1",
                "--quality-samples", "0", "--samples", "0", "--mlp-width", "8", "--mlp-depth", "1", "--timesteps",
                "21", "--ddim-steps", "2", "--ema-decay", emaDecay, "--out", dir.resolve(emaDecay).toString());
        double[] loss = new double[2];
        RoundListener record = r -> loss[(int) r.round() - 1] = r.metric("eps_loss");
        new FederatedRun(o, record).run();
        assertEquals(List.of(true, true), List.of(Files.exists(dir.resolve(emaDecay).resolve("metrics.csv")),
                Files.exists(dir.resolve(emaDecay).resolve("checkpoint.fgs"))));
        return loss;
    }

    @Test
    void evaluationUsesTheMovingAverageOnceThereIsOne() throws Exception {
        double[] plain = epsLoss("0");
        double[] averaged = epsLoss("0.5");
        // Round 1: the average is initialised to the first aggregate, so both evaluate the same weights.
        assertEquals(plain[0], averaged[0], 0.0);
        // Round 2: the average is 0.5·w1 + 0.5·w2, not w2, so the held-out loss differs.
        assertNotEquals(plain[1], averaged[1]);
    }

    /**
     * A conditional DDPM with label dropout and guidance trains through the CLI path and reports, per evaluation, how
     * often the classifier sees the requested digit; guidance without --conditional is refused naming both options.
     */
    @Test
    void guidedConditionalRunReportsConditionalAccuracy() throws Exception {
        RunOptions o = new RunOptions();
        new CommandLine(o).parseArgs("--model", "ddpm", "--conditional", "--label-dropout", "0.2", "--guidance", "3",
                "--clients", "2", "--partition", "iid", "--rounds", "1", "--local-steps", "2", "--batch-size", "16",
                "--workers", "1", "--quality-samples", "20", "--samples", "0", "--mlp-width", "8", "--mlp-depth", "1",
                "--timesteps", "21", "--ddim-steps", "2", "--out", dir.resolve("cfg").toString());
        double[] accuracy = {Double.NaN};
        new FederatedRun(o, r -> accuracy[0] = r.metric("cond_accuracy")).run();
        assertTrue(accuracy[0] >= 0 && accuracy[0] <= 1, "cond_accuracy " + accuracy[0]);
        assertEquals(0.2, o.ddpm.newModel().labelDropout());
        assertEquals(3.0, o.ddpm.newModel().guidance());
        RunOptions unconditional = new RunOptions();
        new CommandLine(unconditional).parseArgs("--model", "ddpm", "--guidance", "2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, unconditional.ddpm::validate);
        assertTrue(e.getMessage().contains("--guidance 2.0") && e.getMessage().contains("--conditional"),
                e.getMessage());
    }
}
