package org.fedgen.examples.cli;

import java.util.ArrayList;
import java.util.List;
import org.fedgen.privacy.RdpAccountant.Conversion;
import org.fedgen.runs.DpConfig;
import org.fedgen.runs.DpUnit;
import picocli.CommandLine.Option;

/**
 * Differential-privacy options of {@code fedgen train} (central DP-FedAvg with Rényi-DP accounting); a run is private
 * when {@code --dp-noise} is given. Mapped to the library's {@link DpConfig}.
 */
public final class DpOptions {
    @Option(names = "--dp-noise", paramLabel = "z", description = {"Enables DP-FedAvg: noise multiplier z, the noise "
            + "std on the sum of clipped deltas is z*S."})
    public Double noise;

    @Option(names = "--dp-clip", paramLabel = "S", description = "L2 clip norm S of each client's delta over the "
            + "protected parts (the initial one with --dp-adaptive-clip); required with --dp-noise.")
    public Double clip;

    @Option(names = "--dp-delta", paramLabel = "d", description = "delta of the reported (epsilon, delta); should be "
            + "below 1/clients (default: ${DEFAULT-VALUE}).")
    public double delta = 1e-5;

    @Option(names = "--dp-target-epsilon", paramLabel = "e", description = "Privacy budget: the run stops before the "
            + "round that would take epsilon above e.")
    public Double targetEpsilon;

    @Option(names = "--dp-parts", paramLabel = "PARTS", split = ",", description = {"Parts DP-FedAvg protects: 'all' "
            + "(default: every part clients send) or a list such as 'decoder'; the model's other parts then stay on "
            + "the clients (local-only), e.g. 'decoder' gives decoder-only DP for the VAE (DPD-fVAE: the encoder "
            + "never leaves the client)."})
    public List<String> parts = new ArrayList<>(List.of("all"));

    @Option(names = "--dp-q", paramLabel = "q", description = "Poisson sampling rate q: each client joins a round "
            + "independently with probability q.")
    public Double q;

    @Option(names = "--dp-clients-per-round", paramLabel = "m", description = "Expected clients per round qW; sets "
            + "q = m / clients.")
    public Double clientsPerRound;

    @Option(names = "--dp-allow-fixed-size-sampling", description = {"Allow --clients-per-round (a fixed number "
            + "drawn without replacement) in a DP run. Epsilon is then computed as if clients were Poisson-sampled "
            + "with q = k/W: an approximation, not a proven bound."})
    public boolean allowFixedSizeSampling;

    @Option(names = "--dp-adaptive-clip", description = "Adaptive clip norm (Andrew et al. 2021: target quantile 0.5, "
            + "learning rate 0.2, count noise m/20) starting from --dp-clip.")
    public boolean adaptiveClip;

    @Option(names = "--dp-conversion", paramLabel = "KIND", description = "RDP to (epsilon, delta) conversion: "
            + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public ConversionKind conversion = ConversionKind.tight;

    @Option(names = "--dp-server-lr", description = "Server learning rate applied to the noisy average (default: "
            + "${DEFAULT-VALUE}); post-processing, costs no privacy.")
    public double serverLearningRate = 1.0;

    @Option(names = "--dp-server-momentum", description = "Server momentum on the noisy average (FedAvgM; default: "
            + "${DEFAULT-VALUE} = none); post-processing, costs no privacy.")
    public double serverMomentum = 0.0;

    @Option(names = "--dp-seeded-noise", description = {"Derive the DP noise from --seed (reproducible runs). Such "
            + "noise protects nobody who knows the seed; the default draws it from SecureRandom."})
    public boolean seededNoise;

    @Option(names = "--dp-seeded-sampling", description = {"Draw the Poisson client sample from --seed (reproducible "
            + "runs). Anyone who knows the seed then knows who took part, which voids the amplification by "
            + "subsampling: epsilon is reported as not a guarantee. The default draws it from SecureRandom."})
    public boolean seededSampling;

    @Option(names = "--dp-noise-mode", paramLabel = "MODE", description = {"continuous (default): float Gaussian "
            + "noise; discrete: clipped deltas quantized to a grid and exact discrete Gaussian noise added to their "
            + "integer sum (Canonne, Kamath, Steinke 2020), safe from floating-point attacks."})
    public NoiseKind noiseMode = NoiseKind.continuous;

    @Option(names = "--dp-unit", paramLabel = "UNIT", description = {"What DP protects: client (default: DP-FedAvg "
            + "on the server hides whether a client took part) or record (DP-SGD inside every client's local "
            + "training hides each record: Poisson batches with q = B/n_k, per-example clipping to --dp-clip, noise "
            + "--dp-noise; epsilon per client, the maximum reported as record_epsilon_max and stopped on by "
            + "--dp-target-epsilon), or both (DP-SGD with --dp-record-noise, --dp-record-clip, "
            + "--dp-record-target-epsilon in every client, and DP-FedAvg with --dp-noise, --dp-clip, "
            + "--dp-target-epsilon on the server; client_epsilon and record_epsilon_max reported side by side)."})
    public DpUnit unit = DpUnit.client;

    @Option(names = "--dp-fixed-size-batches", description = {"With --dp-unit record: fixed-size DP-SGD batches "
            + "instead of Poisson ones. Needs --dp-allow-fixed-size-sampling: epsilon is then reported as not a "
            + "guarantee."})
    public boolean fixedSizeBatches;

    @Option(names = "--dp-record-noise", paramLabel = "sigma", description = "With --dp-unit both: DP-SGD's noise "
            + "multiplier sigma in every client (--dp-noise is then DP-FedAvg's z); required there.")
    public Double recordNoise;

    @Option(names = "--dp-record-clip", paramLabel = "C", description = "With --dp-unit both: DP-SGD's per-example "
            + "L2 clip norm C (--dp-clip is then DP-FedAvg's S); required there.")
    public Double recordClip;

    @Option(names = "--dp-record-target-epsilon", paramLabel = "e", description = "With --dp-unit both: record-level "
            + "budget, the run stops before the round that could take the maximum client record-level epsilon "
            + "above e (--dp-target-epsilon is then the client-level budget; the run stops on either).")
    public Double recordTargetEpsilon;

    /** The noise distributions by their CLI names. */
    public enum NoiseKind {
        continuous, discrete
    }

    /** The conversions by their CLI names. */
    public enum ConversionKind {
        classic(Conversion.CLASSIC), tight(Conversion.TIGHT);

        private final Conversion conversion;

        ConversionKind(Conversion c) {
            conversion = c;
        }

        public Conversion conversion() {
            return conversion;
        }
    }

    /**
     * Refuses every DP option for a command or topology that would ignore it.
     *
     * @param where what ignores them, e.g. "fedgen bench"
     * @throws IllegalArgumentException naming the options given
     */
    public void requireUnused(String where) {
        List<String> given = new ArrayList<>();
        add(given, noise != null, "--dp-noise");
        add(given, clip != null, "--dp-clip");
        add(given, delta != 1e-5, "--dp-delta");
        add(given, targetEpsilon != null, "--dp-target-epsilon");
        add(given, !allParts(), "--dp-parts");
        add(given, q != null, "--dp-q");
        add(given, clientsPerRound != null, "--dp-clients-per-round");
        add(given, allowFixedSizeSampling, "--dp-allow-fixed-size-sampling");
        add(given, adaptiveClip, "--dp-adaptive-clip");
        add(given, conversion != ConversionKind.tight, "--dp-conversion");
        add(given, serverLearningRate != 1.0, "--dp-server-lr");
        add(given, serverMomentum != 0.0, "--dp-server-momentum");
        add(given, seededNoise, "--dp-seeded-noise");
        add(given, seededSampling, "--dp-seeded-sampling");
        add(given, noiseMode != NoiseKind.continuous, "--dp-noise-mode");
        add(given, unit != DpUnit.client, "--dp-unit");
        add(given, fixedSizeBatches, "--dp-fixed-size-batches");
        add(given, recordNoise != null, "--dp-record-noise");
        add(given, recordClip != null, "--dp-record-clip");
        add(given, recordTargetEpsilon != null, "--dp-record-target-epsilon");
        if (!given.isEmpty()) {
            throw new IllegalArgumentException(where + " has no differential privacy and would ignore "
                    + String.join(", ", given));
        }
    }

    private static void add(List<String> given, boolean set, String name) {
        if (set) {
            given.add(name);
        }
    }

    /** Whether the run is differentially private. */
    public boolean enabled() {
        return noise != null;
    }

    /** Whether every part clients send is protected. */
    public boolean allParts() {
        return parts.size() == 1 && parts.get(0).equals("all");
    }

    /** The library settings these options describe, or null when {@code --dp-noise} is not given. */
    public DpConfig toSettings() {
        if (!enabled()) {
            return null;
        }
        return DpConfig.builder(noise, clip).delta(delta).targetEpsilon(targetEpsilon).parts(parts).q(q)
                .clientsPerRound(clientsPerRound).allowFixedSizeSampling(allowFixedSizeSampling)
                .adaptiveClip(adaptiveClip).conversion(conversion.conversion()).serverLearningRate(serverLearningRate)
                .serverMomentum(serverMomentum).seededNoise(seededNoise).seededSampling(seededSampling)
                .discreteNoise(noiseMode == NoiseKind.discrete).unit(unit).fixedSizeBatches(fixedSizeBatches)
                .recordNoise(recordNoise).recordClip(recordClip).recordTargetEpsilon(recordTargetEpsilon).build();
    }
}
