package org.fedgen.examples.cli;

import static org.fedgen.core.util.Checks.require;

import java.util.concurrent.Callable;
import org.fedgen.examples.cli.DpOptions.ConversionKind;
import org.fedgen.privacy.RdpAccountant.PrivacySpent;
import org.fedgen.privacy.RdpAccountant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedgen privacy}: the (ε, δ) that T rounds of DP-FedAvg with Poisson sampling rate q and noise multiplier z
 * spend, by Rényi-DP accounting, without training; with {@code --target-epsilon} also the number of rounds that fit.
 */
@Command(name = "privacy", mixinStandardHelpOptions = true,
        subcommands = {PrivacyAuditCommand.class, PrivacyAttackCommand.class},
        description = {"Prints the epsilon (and the Renyi order attaining it) that --rounds rounds of DP-FedAvg with",
            "Poisson sampling rate --q and noise multiplier --z spend at --delta, without training."})
public final class PrivacyCommand implements Callable<Integer> {
    @Option(names = "--q", description = "Poisson sampling rate q in (0, 1] (expected clients per round / clients);"
            + " required.")
    Double q;

    @Option(names = "--z", description = "Noise multiplier z > 0 (noise std z*S on the sum); required.")
    Double z;

    @Option(names = "--rounds", description = "Number of rounds T >= 1; required.")
    Long rounds;

    @Option(names = "--delta", defaultValue = "1e-5", description = "delta (default: ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--conversion", defaultValue = "tight", description = "RDP to (epsilon, delta) conversion: "
            + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ConversionKind conversion;

    @Option(names = "--target-epsilon", description = "Also print how many rounds keep epsilon at or below this.")
    Double targetEpsilon;

    @Override
    public Integer call() {
        require(q != null && z != null && rounds != null, "fedgen privacy needs --q, --z and --rounds");
        require(q > 0 && q <= 1, "--q must be in (0, 1], got " + q);
        require(z > 0 && Double.isFinite(z), "--z must be finite and > 0, got " + z);
        require(rounds >= 1, "--rounds must be >= 1, got " + rounds);
        require(delta > 0 && delta < 1, "--delta must be in (0, 1), got " + delta);
        require(targetEpsilon == null || (targetEpsilon > 0 && Double.isFinite(targetEpsilon)),
                "--target-epsilon must be finite and > 0, got " + targetEpsilon);
        RdpAccountant accountant = new RdpAccountant().steps(q, z, rounds);
        PrivacySpent s = accountant.epsilon(delta, conversion.conversion());
        System.out.printf("epsilon %.6g  delta %g  order %s  (q %g, z %g, rounds %d, %s conversion, RDP accounting"
                + " of the Poisson-subsampled Gaussian mechanism; a guarantee only with secure sampling and noise)%n",
                s.epsilon(), delta, formatOrder(s.order()), q, z, rounds, conversion);
        if (targetEpsilon != null) {
            long n = new RdpAccountant().roundsWithin(targetEpsilon, delta, q, z, conversion.conversion());
            System.out.printf("rounds within epsilon %g: %s%n", targetEpsilon,
                    n == Long.MAX_VALUE ? "unbounded" : Long.toString(n));
        }
        return 0;
    }

    private static String formatOrder(double order) {
        return order == Math.rint(order) ? String.format("%.0f", order) : String.format("%.2f", order);
    }
}
