package org.fedgen.examples.cli;

import java.util.concurrent.Callable;
import org.fedgen.privacy.PrivacyAudit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedgen privacy audit}: an empirical ε lower bound for one DP-FedAvg round, against the accountant's ε. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Runs one DP-FedAvg round (q = 1) --trials times with and without a canary client and turns a",
            "threshold distinguisher's error rates into an epsilon lower bound (Clopper-Pearson), printed with the",
            "accountant's epsilon. --noise-scale < 1 audits a deliberately broken mechanism."})
public final class PrivacyAuditCommand implements Callable<Integer> {
    @Option(names = "--trials", description = "Runs per arm and phase (default: ${DEFAULT-VALUE}).")
    int trials = 10_000;

    @Option(names = "--z", description = "Noise multiplier z the accountant is told (default: ${DEFAULT-VALUE}).")
    double z = 1.0;

    @Option(names = "--noise-scale", description = "Factor on the noise actually added; 0.1 is a broken mechanism "
            + "(default: ${DEFAULT-VALUE} = the real one).")
    double noiseScale = 1.0;

    @Option(names = "--clients", description = "Clients including the canary (default: ${DEFAULT-VALUE}).")
    int clients = 10;

    @Option(names = "--dimension", description = "Model coordinates (default: ${DEFAULT-VALUE}).")
    int dimension = 4;

    @Option(names = "--delta", description = "delta (default: ${DEFAULT-VALUE}).")
    double delta = 1e-5;

    @Option(names = "--confidence", description = "Confidence of the bound (default: ${DEFAULT-VALUE}).")
    double confidence = 0.95;

    @Option(names = "--seed", description = "Seed of the other clients' deltas; the noise is secure (default: "
            + "${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() {
        PrivacyAudit.Result r = PrivacyAudit.run(new PrivacyAudit.Config(trials, z, noiseScale, clients, dimension,
                delta, confidence, seed));
        System.out.printf("audit of one DP-FedAvg round (q = 1, z = %g, noise actually added x %g, %d clients, %d"
                + " trials per arm)%n", z, noiseScale, clients, trials);
        System.out.printf("false positives %d/%d (%.0f%% CI [%.3g, %.3g]), false negatives %d/%d (CI [%.3g, %.3g]),"
                + " threshold %.4g S%n", r.falsePositives(), r.trials(), 100 * confidence, r.fpr()[0], r.fpr()[1],
                r.falseNegatives(), r.trials(), r.fnr()[0], r.fnr()[1], r.threshold());
        System.out.printf("epsilon lower bound %.4f (confidence %g) vs accountant epsilon %.4f at delta %g: %s%n",
                r.epsilonLower(), confidence, r.epsilonClaimed(), delta,
                r.violates() ? "VIOLATION, the mechanism leaks more than accounted" : "consistent");
        return r.violates() ? 1 : 0;
    }
}
