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

/**
 * Error paths of every command: the exit status (2 for a bad value or combination of options, 1 for any other error)
 * and the single line on stderr that says what is wrong; a stack trace only with --verbose.
 */
class CliErrorPathTest {
    @TempDir
    Path dir;

    /** Runs the CLI and returns its stderr lines, checking the exit status. */
    private static List<String> errLines(int expectedStatus, String... args) {
        CommandLine cli = FedgenCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        assertEquals(expectedStatus, status, err.toString());
        return err.toString().lines().toList();
    }

    /** Exactly one line, which starts with "fedgen: " and contains {@code expected}. */
    private static void oneLine(List<String> lines, String expected) {
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("fedgen: ") && lines.get(0).contains(expected), lines.get(0));
    }

    @Test
    void trainRefusesOptionsThatDoNotApplyToTheModel() {
        oneLine(errLines(2, "train", "--model", "vae", "--guidance", "4"),
                "--guidance applies only with --model ddpm, got --model vae");
        oneLine(errLines(2, "train", "--topology", "mdgan"),
                "--topology applies only with --model gan, got --model vae");
        oneLine(errLines(2, "train", "--conditional"), "--conditional applies only with --model gan or ddpm");
        oneLine(errLines(2, "train", "--model", "gan", "--vae-optimizer", "sgd"),
                "--vae-optimizer applies only with --model vae, got --model gan");
        oneLine(errLines(2, "train", "--model", "gan", "--swap-epochs", "2"),
                "--swap-epochs applies only with --topology mdgan, got --topology flgan");
        oneLine(errLines(2, "train", "--model", "gan", "--class-loss-weight", "1"),
                "--class-loss-weight applies only with --conditional, got an unconditional GAN");
        oneLine(errLines(2, "train", "--model", "gan", "--twin-classifier"),
                "--twin-classifier applies only with --conditional, got an unconditional GAN");
        oneLine(errLines(2, "train", "--model", "gan", "--topology", "mdgan", "--clients-per-round", "3"),
                "--clients-per-round 3 does not apply to mdgan");
        oneLine(errLines(2, "train", "--mu", "0.1"), "--mu applies only with --aggregator fedprox, got --aggregator "
                + "fedavg");
        oneLine(errLines(2, "train", "--partition", "iid", "--alpha", "0.1"),
                "--alpha applies only with --partition dirichlet, got --partition iid");
    }

    @Test
    void trainRefusesServerOptimizerOptionsThatWouldBeIgnored() {
        oneLine(errLines(2, "train", "--server-lr", "0.5"), "--server-lr applies only with --aggregator fedsgd or"
                + " scaffold, or --server-opt avgm, adam or yogi, got --aggregator fedavg --server-opt none");
        oneLine(errLines(2, "train", "--server-opt", "fedexp", "--server-lr", "2"), "--server-lr applies only with"
                + " --aggregator fedsgd or scaffold, or --server-opt avgm, adam or yogi, got --aggregator fedavg"
                + " --server-opt fedexp");
        oneLine(errLines(2, "train", "--server-opt", "fedexp", "--server-momentum", "0.9"), "--server-momentum"
                + " applies only with --server-opt avgm, adam or yogi, got --server-opt fedexp");
        oneLine(errLines(2, "train", "--server-opt", "avgm", "--server-tau", "0.01"),
                "--server-tau applies only with --server-opt adam or yogi, got --server-opt avgm");
        oneLine(errLines(2, "train", "--server-opt", "fedexp", "--server-lr-decay", "0.9"), "--server-lr-decay"
                + " applies only with --server-opt avgm, adam or yogi, got --server-opt fedexp");
        oneLine(errLines(2, "train", "--server-opt", "adam", "--server-lr-decay", "0"),
                "--server-lr-decay must be in (0, 1], got 0.0");
        oneLine(errLines(2, "train", "--server-opt", "avgm", "--centralized"),
                "--server-opt applies only with a federated run");
        oneLine(errLines(2, "train", "--server-opt", "adam", "--aggregator", "fedsgd"),
                "--server-opt adam applies to --aggregator fedavg, fedprox or scaffold, got fedsgd");
    }

    @Test
    void trainRefusesServerOptimizersThatDoNotPostProcessTheDpNoisyMeanOrRepeatDpMomentum() {
        String[] dp = {"train", "--dp-noise", "1", "--dp-clip", "0.1", "--dp-q", "0.5"};
        oneLine(errLines(2, concat(dp, "--server-opt", "avgm")), "--server-opt avgm cannot be combined with"
                + " --dp-noise: DP-FedAvg's FedAvgM step on the noisy mean is --dp-server-lr and --dp-server-momentum;"
                + " or use --server-opt adam or yogi");
        oneLine(errLines(2, concat(dp, "--server-opt", "fedexp")), "--server-opt fedexp cannot be combined with"
                + " --dp-noise: FedExP sizes its step from the clients' individual updates");
        oneLine(errLines(2, concat(dp, "--server-opt", "adam", "--dp-server-momentum", "0.9")), "--server-opt adam"
                + " steps with --server-lr and --server-momentum: drop --dp-server-lr and --dp-server-momentum");
        oneLine(errLines(2, "train", "--dp-unit", "record", "--dp-noise", "1", "--dp-clip", "1", "--server-opt",
                "yogi"), "--server-opt yogi with --dp-unit record: the server optimizer steps on DP-FedAvg's noisy"
                + " mean, which record-level DP alone does not have");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void trainRefusesDpOptionsWithoutDpAndDpWithMdGan() {
        oneLine(errLines(2, "train", "--dp-delta", "1e-3"), "--dp-delta applies only with --dp-noise (DP-FedAvg), got "
                + "no --dp-noise");
        oneLine(errLines(2, "train", "--model", "gan", "--topology", "mdgan", "--dp-noise", "1", "--dp-clip", "1"),
                "--topology mdgan cannot be combined with DP");
    }

    @Test
    void trainNamesBadValues() {
        oneLine(errLines(2, "train", "--rounds", "0"), "--rounds must be >= 1, got 0");
        oneLine(errLines(2, "train", "--model", "ddpm", "--timesteps", "20"), "--timesteps must be >= 21");
    }

    @Test
    void unwritableOutputIsOneLineWithStatusOne() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        oneLine(errLines(1, "train", "--rounds", "1", "--out", file.resolve("sub").toString()),
                "cannot create output directory " + file.resolve("sub"));
    }

    @Test
    void verbosePrintsTheStackTraceToo() {
        List<String> lines = errLines(2, "train", "--rounds", "0", "--verbose");
        assertTrue(lines.size() > 2 && lines.get(1).contains("IllegalArgumentException"), String.join("\n", lines));
    }

    @Test
    void mdGanRunWritesACheckpoint() {
        Path out = dir.resolve("mdgan");
        errLines(0, "train", "--model", "gan", "--topology", "mdgan", "--clients", "2", "--rounds", "1",
                "--local-steps", "1", "--batch-size", "8", "--workers", "1", "--quality-samples", "0", "--samples",
                "0", "--out", out.toString());
        assertTrue(Files.exists(out.resolve("checkpoint.fgs")));
        assertTrue(Files.exists(out.resolve("metrics.csv")));
    }

    @Test
    void evalErrors() throws Exception {
        oneLine(errLines(1, "eval", "--samples", dir.resolve("missing").toString()),
                "no such file: " + dir.resolve("missing"));
        oneLine(errLines(2, "eval"), "Missing required option: '--samples=<samples>'");
    }

    @Test
    void privacyErrors() {
        oneLine(errLines(2, "privacy", "--q", "0.1", "--z", "1", "--rounds", "-1"), "--rounds must be >= 1, got -1");
        oneLine(errLines(2, "privacy", "--q", "0.1", "--z", "1", "--rounds", "x"), "'x'");
    }

    @Test
    void benchErrors() {
        oneLine(errLines(2, "bench", "--warmup-rounds", "-1"), "--warmup-rounds must be >= 0, got -1");
        oneLine(errLines(2, "bench", "--model", "gan", "--topology", "mdgan"),
                "timing counts client local steps, which mdgan does not have");
        oneLine(errLines(2, "bench", "--guidance", "1"), "--guidance applies only with --model ddpm");
    }

    @Test
    void ddpmSampleErrors() {
        oneLine(errLines(1, "ddpm-sample", "--checkpoint", dir.resolve("none.fgs").toString()),
                "no such file: " + dir.resolve("none.fgs"));
        oneLine(errLines(2, "ddpm-sample", "--checkpoint", "x", "--guidance", "1"),
                "--label-dropout 0.0 and --guidance 1.0 need --conditional");
        oneLine(errLines(2, "ddpm-sample", "--checkpoint", "x", "--samples", "0"), "--samples must be >= 1, got 0");
        oneLine(errLines(2, "ddpm-sample", "--checkpoint", "x", "--conditional", "--guidance", "1",
                "--guidance-interval", "0.8,0.2"), "--guidance-interval needs lo,hi with 0 <= lo <= hi <= 1 (fractions "
                + "of T), got 0.8,0.2");
        oneLine(errLines(2, "train", "--model", "ddpm", "--guidance-interval", "0.2,0.8"),
                "--guidance-interval 0.2,0.8 needs --conditional");
        oneLine(errLines(2, "train", "--model", "ddpm", "--conditional", "--guidance-schedule", "ramp:2"),
                "--guidance-schedule ramp:2: unknown guidance schedule 'ramp:2'; valid: constant, step:S,W, linear:W, "
                + "cosine:W");
    }

    @Test
    void deploymentCommandsRefuseBadOptionsInOneLine() {
        oneLine(errLines(2, "client", "--server", "nohost", "--id", "0", "--data", dir.toString()),
                "server must be HOST:PORT, got 'nohost'");
        oneLine(errLines(2, "client", "--server", "h:1", "--ids", "3-1", "--data", dir.toString()),
                "--ids: range '3-1' is empty or too large");
        oneLine(errLines(2, "server", "--port", "1", "--tls-cert", "c.pem", "--out", dir.resolve("r").toString()),
                "--tls-cert and --tls-key go together");
        oneLine(errLines(2, "server", "--port", "1", "--resume", "--model", "gan"),
                "--model cannot be combined with --resume");
    }
}
