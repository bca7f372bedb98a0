package org.fedgen.examples.cli;

import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.runs.DdpmSettings.DenoiserKind;
import org.fedgen.runs.DdpmSettings.SamplerKind;
import org.fedgen.runs.DdpmSettings.ScheduleKind;
import org.fedgen.runs.DdpmSettings;
import picocli.CommandLine.Option;

/** Options of {@code --model ddpm}: denoiser, noise schedule, sampler, server-side EMA, conditioning. */
public final class DdpmOptions {
    @Option(names = "--denoiser", description = "DDPM denoiser: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public DenoiserKind denoiser = DenoiserKind.mlp;

    @Option(names = "--mlp-width", description = "DDPM MLP hidden width (default: ${DEFAULT-VALUE}).")
    public int mlpWidth = 512;

    @Option(names = "--mlp-depth", description = "DDPM MLP hidden layers; all but the first are residual "
            + "(default: ${DEFAULT-VALUE}).")
    public int mlpDepth = 2;

    @Option(names = "--unet-channels", split = ",", description = "DDPM U-Net channels at full and half "
            + "resolution, and a third count for a quarter-resolution level (default: 16,32).")
    public int[] unetChannels = {16, 32};

    @Option(names = "--schedule", description = "DDPM noise schedule: ${COMPLETION-CANDIDATES} (default: "
            + "${DEFAULT-VALUE}).")
    public ScheduleKind schedule = ScheduleKind.linear;

    @Option(names = "--timesteps", description = "DDPM diffusion steps T (default: ${DEFAULT-VALUE}).")
    public int timesteps = Ddpm.DEFAULT_STEPS;

    @Option(names = "--sampler", description = "DDPM sampler for grids and sample files: ${COMPLETION-CANDIDATES} "
            + "(default: ${DEFAULT-VALUE}).")
    public SamplerKind sampler = SamplerKind.ddim;

    @Option(names = "--ddim-steps", description = "DDIM steps S <= T (default: ${DEFAULT-VALUE}).")
    public int ddimSteps = Ddpm.DEFAULT_DDIM_STEPS;

    @Option(names = "--min-snr-gamma", description = "DDPM training timesteps drawn with Min-SNR-gamma weights "
            + "min(SNR, gamma)/SNR; 0 = uniform, Ho's L_simple (default: ${DEFAULT-VALUE}).")
    public double minSnrGamma = 5.0;

    /**
     * Off by default: with the MLP's learned per-pixel prior, an average of weights is not an average of denoisers (the
     * skip's gain depends on σ nonlinearly), and on the federated digits the EMA measured worse than the raw weights
     * ({@code docs/results.md}).
     */
    @Option(names = "--ema-decay", description = "Server-side EMA of the global DDPM over rounds, used for samples and "
            + "evaluation; 0 = off (default: ${DEFAULT-VALUE}).")
    public double emaDecay = 0.0;

    @Option(names = "--label-dropout", description = "Conditional DDPM: probability that a training label is "
            + "replaced by 'no label', so the model also learns the unconditional noise for classifier-free guidance "
            + "(default: ${DEFAULT-VALUE}).")
    public double labelDropout = 0.0;

    @Option(names = "--guidance", description = "Conditional DDPM: classifier-free guidance weight w of sampling, "
            + "(1 + w) eps(x, t, y) - w eps(x, t, none); 0 = plain conditional (default: ${DEFAULT-VALUE}).")
    public double guidance = 0.0;

    @Option(names = "--guidance-interval", split = ",", paramLabel = "LO,HI", description = "Conditional DDPM: "
            + "apply guidance only at steps t with LO <= t/T <= HI, the plain conditional prediction elsewhere "
            + "(default: 0,1, every step).")
    public double[] guidanceInterval = {0, 1};

    @Option(names = "--guidance-schedule", paramLabel = "SHAPE", description = "Conditional DDPM: the guidance weight "
            + "over the steps, around w = --guidance: constant (w at every step), step:S,W (W at t/T > S, w below), "
            + "linear:W or cosine:W (from W at t = T to w at t = 0); within --guidance-interval (default: "
            + "${DEFAULT-VALUE}).")
    public String guidanceSchedule = "constant";

    /** Class-conditional DDPM (samples cycle through the labels 0..9); set by the command's {@code --conditional}. */
    public boolean conditional;

    /**
     * The library settings these options describe.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    public DdpmSettings toSettings() {
        return DdpmSettings.builder().denoiser(denoiser).mlpWidth(mlpWidth).mlpDepth(mlpDepth)
                .unetChannels(unetChannels).schedule(schedule).timesteps(timesteps).sampler(sampler)
                .ddimSteps(ddimSteps).minSnrGamma(minSnrGamma).emaDecay(emaDecay).labelDropout(labelDropout)
                .guidance(guidance).guidanceInterval(guidanceInterval).guidanceSchedule(guidanceSchedule)
                .conditional(conditional).build();
    }
}
