package org.fedgen.runs;

import static org.fedgen.core.util.Checks.require;

import java.util.Arrays;
import java.util.Objects;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.GuidanceInterval;
import org.fedgen.models.ddpm.GuidanceSchedule;

/**
 * A DDPM run's model: denoiser, noise schedule, sampler, server-side EMA, conditioning. Build with {@link #builder()};
 * {@link Builder#build()} checks the values and names the first bad one. {@link DdpmModels} turns it into a model.
 *
 * @param denoiser     MLP or U-Net denoiser
 * @param mlpWidth     MLP hidden width
 * @param mlpDepth     MLP hidden layers (all but the first residual)
 * @param unetChannels U-Net channels at full, half and optionally quarter resolution (two or three values)
 * @param schedule     noise schedule
 * @param timesteps    diffusion steps T
 * @param sampler      sampler of grids and sample files
 * @param ddimSteps    DDIM steps S &le; T
 * @param minSnrGamma  Min-SNR-γ timestep weights; 0 = uniform (Ho's L_simple)
 * @param emaDecay     server-side EMA of the global model over rounds, used for samples and evaluation; 0 = off
 * @param labelDropout conditional: probability that a training label is replaced by "no label"
 * @param guidance     conditional: classifier-free guidance weight w of sampling
 * @param guidanceInterval conditional: the steps at which guidance applies, {lo, hi} as fractions of T (see
 *                     {@link GuidanceInterval})
 * @param guidanceSchedule conditional: the guidance weight as a function of the step, built around {@code guidance},
 *                     as {@link GuidanceSchedule#parse} reads it ({@code constant}, {@code step:S,W}, {@code linear:W},
 *                     {@code cosine:W})
 * @param conditional  class-conditional (samples cycle through the labels 0..9)
 */
public record DdpmSettings(DenoiserKind denoiser, int mlpWidth, int mlpDepth, int[] unetChannels,
        ScheduleKind schedule, int timesteps, SamplerKind sampler, int ddimSteps, double minSnrGamma, double emaDecay,
        double labelDropout, double guidance, double[] guidanceInterval, String guidanceSchedule,
        boolean conditional) implements ModelSettings {

    /** Guidance at every step unless {@code --guidance-interval} says otherwise. */
    static final double[] DEFAULT_GUIDANCE_INTERVAL = {0, 1};

    /** Denoiser networks. */
    public enum DenoiserKind { mlp, unet }

    /** Noise schedules. */
    public enum ScheduleKind { linear, cosine }

    /** Reverse-process samplers: ancestral DDPM (T steps) or deterministic DDIM (ddimSteps steps). */
    public enum SamplerKind { ddpm, ddim }

    /** Copies {@code unetChannels} and {@code guidanceInterval} so the record stays immutable. */
    public DdpmSettings {
        unetChannels = unetChannels.clone();
        guidanceInterval = guidanceInterval.clone();
    }

    @Override
    public int[] unetChannels() {
        return unetChannels.clone();
    }

    @Override
    public double[] guidanceInterval() {
        return guidanceInterval.clone();
    }

    /** {@link #guidanceInterval()} as the library's {@link GuidanceInterval}. */
    public GuidanceInterval interval() {
        return new GuidanceInterval(guidanceInterval[0], guidanceInterval[1]);
    }

    /** {@link #guidanceSchedule()} as the library's {@link GuidanceSchedule}. */
    public GuidanceSchedule weightSchedule() {
        return GuidanceSchedule.parse(guidanceSchedule);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String family() {
        return "ddpm";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DdpmSettings d && d.denoiser == denoiser && d.mlpWidth == mlpWidth
                && d.mlpDepth == mlpDepth && Arrays.equals(d.unetChannels, unetChannels) && d.schedule == schedule
                && d.timesteps == timesteps && d.sampler == sampler && d.ddimSteps == ddimSteps
                && Double.compare(d.minSnrGamma, minSnrGamma) == 0 && Double.compare(d.emaDecay, emaDecay) == 0
                && Double.compare(d.labelDropout, labelDropout) == 0 && Double.compare(d.guidance, guidance) == 0
                && Arrays.equals(d.guidanceInterval, guidanceInterval)
                && Objects.equals(d.guidanceSchedule, guidanceSchedule) && d.conditional == conditional;
    }

    @Override
    public int hashCode() {
        return Objects.hash(denoiser, mlpWidth, mlpDepth, Arrays.hashCode(unetChannels), schedule, timesteps, sampler,
                ddimSteps, minSnrGamma, emaDecay, labelDropout, guidance, Arrays.hashCode(guidanceInterval), guidanceSchedule,
                conditional);
    }

    @Override
    public String toString() {
        return "DdpmSettings[denoiser=" + denoiser + ", mlpWidth=" + mlpWidth + ", mlpDepth=" + mlpDepth
                + ", unetChannels=" + Arrays.toString(unetChannels) + ", schedule=" + schedule + ", timesteps="
                + timesteps + ", sampler=" + sampler + ", ddimSteps=" + ddimSteps + ", minSnrGamma=" + minSnrGamma
                + ", emaDecay=" + emaDecay + ", labelDropout=" + labelDropout + ", guidance=" + guidance
                + ", guidanceInterval=" + Arrays.toString(guidanceInterval) + ", guidanceSchedule=" + guidanceSchedule
                + ", conditional=" + conditional + "]";
    }

    /** Builds {@link DdpmSettings}; option names in messages are the CLI's. */
    public static final class Builder {
        private DenoiserKind denoiser = DenoiserKind.mlp;
        private int mlpWidth = 512;
        private int mlpDepth = 2;
        private int[] unetChannels = {16, 32};
        private ScheduleKind schedule = ScheduleKind.linear;
        private int timesteps = Ddpm.DEFAULT_STEPS;
        private SamplerKind sampler = SamplerKind.ddim;
        private int ddimSteps = Ddpm.DEFAULT_DDIM_STEPS;
        private double minSnrGamma = 5.0;
        private double emaDecay = 0.0;
        private double labelDropout = 0.0;
        private double guidance = 0.0;
        private double[] guidanceInterval = DEFAULT_GUIDANCE_INTERVAL.clone();
        private String guidanceSchedule = GuidanceSchedule.CONSTANT.toString();
        private boolean conditional;

        private Builder() {
        }

        /** Sets {@code denoiser}: MLP or U-Net denoiser. */
        public Builder denoiser(DenoiserKind v) {
            denoiser = Objects.requireNonNull(v, "denoiser");
            return this;
        }

        /** Sets {@code mlpWidth}: MLP hidden width. */
        public Builder mlpWidth(int v) {
            mlpWidth = v;
            return this;
        }

        /** Sets {@code mlpDepth}: MLP hidden layers (all but the first residual). */
        public Builder mlpDepth(int v) {
            mlpDepth = v;
            return this;
        }

        /** Sets {@code unetChannels}: U-Net channels at full, half and optionally quarter resolution. */
        public Builder unetChannels(int... v) {
            unetChannels = v.clone();
            return this;
        }

        /** Sets {@code schedule}: noise schedule. */
        public Builder schedule(ScheduleKind v) {
            schedule = Objects.requireNonNull(v, "schedule");
            return this;
        }

        /** Sets {@code timesteps}: diffusion steps T. */
        public Builder timesteps(int v) {
            timesteps = v;
            return this;
        }

        /** Sets {@code sampler}: sampler of grids and sample files. */
        public Builder sampler(SamplerKind v) {
            sampler = Objects.requireNonNull(v, "sampler");
            return this;
        }

        /** Sets {@code ddimSteps}: DDIM steps S &le; T. */
        public Builder ddimSteps(int v) {
            ddimSteps = v;
            return this;
        }

        /** Sets {@code minSnrGamma}: Min-SNR-γ timestep weights; 0 = uniform (Ho's L_simple). */
        public Builder minSnrGamma(double v) {
            minSnrGamma = v;
            return this;
        }

        /**
         * Sets {@code emaDecay}: server-side EMA of the global model over rounds, used for samples and evaluation; 0 =
         * off.
         */
        public Builder emaDecay(double v) {
            emaDecay = v;
            return this;
        }

        /** Sets {@code labelDropout}: conditional: probability that a training label is replaced by "no label". */
        public Builder labelDropout(double v) {
            labelDropout = v;
            return this;
        }

        /** Sets {@code guidance}: conditional: classifier-free guidance weight w of sampling. */
        public Builder guidance(double v) {
            guidance = v;
            return this;
        }

        /** Sets {@code guidanceInterval}: conditional: the steps at which guidance applies, lo and hi fractions of T. */
        public Builder guidanceInterval(double... v) {
            guidanceInterval = v.clone();
            return this;
        }

        /**
         * Sets {@code guidanceSchedule}: conditional: the guidance weight as a function of the step ({@code constant},
         * {@code step:S,W}, {@code linear:W}, {@code cosine:W}; see {@link GuidanceSchedule}).
         */
        public Builder guidanceSchedule(String v) {
            guidanceSchedule = Objects.requireNonNull(v, "guidanceSchedule");
            return this;
        }

        /** Sets {@code conditional}: class-conditional (samples cycle through the labels 0..9). */
        public Builder conditional(boolean v) {
            conditional = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public DdpmSettings build() {
            require(mlpWidth >= 1, "--mlp-width must be >= 1, got " + mlpWidth);
            require(mlpDepth >= 1, "--mlp-depth must be >= 1, got " + mlpDepth);
            require((unetChannels.length == 2 || unetChannels.length == 3)
                    && Arrays.stream(unetChannels).allMatch(c -> c >= 1),
                    "--unet-channels needs two or three counts >= 1, got " + Arrays.toString(unetChannels));
            int minSteps = schedule == ScheduleKind.linear ? 21 : 1;
            require(timesteps >= minSteps, "--timesteps must be >= " + minSteps + " for the " + schedule
                    + " schedule, got " + timesteps);
            require(ddimSteps >= 1 && ddimSteps <= timesteps, "--ddim-steps must be in 1..--timesteps (" + timesteps
                    + "), got " + ddimSteps);
            require(minSnrGamma >= 0 && Double.isFinite(minSnrGamma), "--min-snr-gamma must be finite and >= 0, got "
                    + minSnrGamma);
            require(emaDecay >= 0 && emaDecay < 1, "--ema-decay must be in [0, 1), got " + emaDecay);
            require(labelDropout >= 0 && labelDropout < 1, "--label-dropout must be in [0, 1), got " + labelDropout);
            require(guidance >= 0 && Double.isFinite(guidance), "--guidance must be finite and >= 0, got " + guidance);
            require(guidanceInterval.length == 2 && guidanceInterval[0] >= 0 && guidanceInterval[0] <= guidanceInterval[1]
                    && guidanceInterval[1] <= 1, "--guidance-interval needs lo,hi with 0 <= lo <= hi <= 1 (fractions of "
                    + "T), got " + Arrays.stream(guidanceInterval).mapToObj(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(",")));
            require(conditional || Arrays.equals(guidanceInterval, DEFAULT_GUIDANCE_INTERVAL), "--guidance-interval "
                    + guidanceInterval[0] + "," + guidanceInterval[1] + " needs --conditional");
            String weights;
            try {
                weights = GuidanceSchedule.parse(guidanceSchedule).toString();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--guidance-schedule " + guidanceSchedule + ": " + e.getMessage(), e);
            }
            require(conditional || weights.equals(GuidanceSchedule.CONSTANT.toString()), "--guidance-schedule "
                    + guidanceSchedule + " needs --conditional");
            require(conditional || (labelDropout == 0 && guidance == 0), "--label-dropout " + labelDropout
                    + " and --guidance " + guidance + " need --conditional");
            return new DdpmSettings(denoiser, mlpWidth, mlpDepth, unetChannels, schedule, timesteps, sampler,
                    ddimSteps, minSnrGamma, emaDecay, labelDropout, guidance, guidanceInterval, weights, conditional);
        }
    }
}
