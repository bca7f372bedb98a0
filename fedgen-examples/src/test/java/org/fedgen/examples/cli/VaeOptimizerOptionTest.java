package org.fedgen.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fedgen.models.vae.VaeConfig;
import org.fedgen.runs.VaeSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --vae-optimizer: which local optimizer the VAE run's configuration carries. */
class VaeOptimizerOptionTest {
    private static VaeConfig.Optimizer optimizerOf(String... args) {
        RunOptions o = new RunOptions();
        new CommandLine(o).parseArgs(args);
        return ((VaeSettings) o.toConfig().model()).config().optimizer();
    }

    @Test
    void adamUnlessSgdIsAsked() {
        assertEquals(VaeConfig.Optimizer.ADAM, optimizerOf());
        assertEquals(VaeConfig.Optimizer.SGD, optimizerOf("--vae-optimizer", "sgd"));
        assertEquals(VaeConfig.Optimizer.ADAM, optimizerOf("--vae-optimizer", "adam"));
    }
}
