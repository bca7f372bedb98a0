package org.fedgen.examples.run;

import org.fedgen.models.ddpm.Activation;
import org.fedgen.models.ddpm.AncestralSampler;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.DdimSampler;
import org.fedgen.models.ddpm.Denoiser;
import org.fedgen.models.ddpm.DiffusionSampler;
import org.fedgen.models.ddpm.MlpDenoiser;
import org.fedgen.models.ddpm.NoiseSchedule;
import org.fedgen.models.ddpm.UNetDenoiser;
import picocli.CommandLine.Option;

/** Options of {@code --model ddpm}: denoiser, noise schedule, sampler, server-side EMA, conditioning. */
public final class DdpmOptions {
    /** Denoiser networks. */
    public enum DenoiserKind { mlp, unet }

    /** Noise schedules. */
    public enum ScheduleKind { linear, cosine }

    /** Reverse-process samplers: ancestral DDPM (T steps) or deterministic DDIM (--ddim-steps steps). */
    public enum SamplerKind { ddpm, ddim }

    @Option(names = "--denoiser", description = "DDPM denoiser: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public DenoiserKind denoiser = DenoiserKind.mlp;

    @Option(names = "--mlp-width", description = "DDPM MLP hidden width (default: ${DEFAULT-VALUE}).")
    public int mlpWidth = 512;

    @Option(names = "--mlp-depth", description = "DDPM MLP hidden layers; all but the first are residual "
            + "(default: ${DEFAULT-VALUE}).")
    public int mlpDepth = 2;

    @Option(names = "--unet-channels", split = ",", description = "DDPM U-Net channels at full and half "
            + "resolution (default: 16,32).")
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

    /** Class-conditional DDPM (samples cycle through the labels 0..9); set by the command's {@code --conditional}. */
    public boolean conditional;

    /** Checks the values, naming the first bad one. */
    public void validate() {
        require(mlpWidth >= 1, "--mlp-width must be >= 1, got " + mlpWidth);
        require(mlpDepth >= 1, "--mlp-depth must be >= 1, got " + mlpDepth);
        require(unetChannels.length == 2 && unetChannels[0] >= 1 && unetChannels[1] >= 1,
                "--unet-channels needs two counts >= 1, got " + java.util.Arrays.toString(unetChannels));
        require(timesteps >= (schedule == ScheduleKind.linear ? 21 : 1), "--timesteps must be >= "
                + (schedule == ScheduleKind.linear ? 21 : 1) + " for the " + schedule + " schedule, got " + timesteps);
        require(ddimSteps >= 1 && ddimSteps <= timesteps, "--ddim-steps must be in 1..--timesteps (" + timesteps
                + "), got " + ddimSteps);
        require(minSnrGamma >= 0 && Double.isFinite(minSnrGamma), "--min-snr-gamma must be finite and >= 0, got "
                + minSnrGamma);
        require(emaDecay >= 0 && emaDecay < 1, "--ema-decay must be in [0, 1), got " + emaDecay);
        require(labelDropout >= 0 && labelDropout < 1, "--label-dropout must be in [0, 1), got " + labelDropout);
        require(guidance >= 0 && Double.isFinite(guidance), "--guidance must be finite and >= 0, got " + guidance);
        require(conditional || (labelDropout == 0 && guidance == 0), "--label-dropout " + labelDropout
                + " and --guidance " + guidance + " need --conditional");
    }

    /** A fresh denoiser for 28x28 digits; the MLP gets the prior skip for {@code schedule}. */
    public Denoiser newDenoiser(NoiseSchedule schedule) {
        int classes = conditional ? 10 : 0;
        if (denoiser == DenoiserKind.unet) {
            return new UNetDenoiser(28, 28, unetChannels[0], unetChannels[1], 64, classes);
        }
        int[] hidden = new int[mlpDepth];
        java.util.Arrays.fill(hidden, mlpWidth);
        return new MlpDenoiser(784, hidden, 128, classes, Activation.SILU, schedule);
    }

    /** The noise schedule. */
    public NoiseSchedule newSchedule() {
        return NoiseSchedule.of(schedule.name(), timesteps);
    }

    /** The sampler chosen by --sampler. */
    public DiffusionSampler newSampler() {
        return sampler == SamplerKind.ddpm ? new AncestralSampler() : new DdimSampler(ddimSteps);
    }

    /** A fresh model with these settings. */
    public Ddpm newModel() {
        NoiseSchedule s = newSchedule();
        // the U-Net has no skip of its own: give it the fixed one
        return Ddpm.builder(newDenoiser(s)).schedule(s).sampler(newSampler()).minSnrGamma(minSnrGamma)
                .inputSkip(denoiser == DenoiserKind.unet).labelDropout(labelDropout).guidance(guidance).build();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
