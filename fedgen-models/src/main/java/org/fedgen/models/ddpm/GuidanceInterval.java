package org.fedgen.models.ddpm;

/**
 * The diffusion steps at which classifier-free guidance applies, as fractions of T: guidance acts at step t when
 * lo·T &le; t &le; hi·T, and the plain conditional prediction is used elsewhere. Kynkäänniemi et al. (2024, "Applying
 * guidance in a limited interval improves sample and distribution quality in diffusion models") found that guidance at
 * high noise is what collapses each class to a few styles, while at low noise it does little; a middle band keeps most
 * of its effect on the class with more of the diversity. {@link #ALL} (0, 1) is guidance at every step.
 *
 * @param lo lower end, a fraction of T in [0, 1]
 * @param hi upper end, a fraction of T in [lo, 1]
 */
public record GuidanceInterval(double lo, double hi) {
    /** Every step: guidance as Ho &amp; Salimans apply it. */
    public static final GuidanceInterval ALL = new GuidanceInterval(0, 1);

    /** @throws IllegalArgumentException unless 0 &le; lo &le; hi &le; 1 */
    public GuidanceInterval {
        if (!(lo >= 0 && lo <= hi && hi <= 1)) {
            throw new IllegalArgumentException("guidance interval needs 0 <= lo <= hi <= 1 (fractions of T), got "
                    + lo + "," + hi);
        }
    }

    /** Whether guidance applies at step t (1-based) of a schedule of {@code totalSteps} steps. */
    public boolean contains(int t, int totalSteps) {
        return t >= lo * totalSteps && t <= hi * totalSteps;
    }

    /** Whether this is {@link #ALL}, guidance at every step. */
    public boolean everywhere() {
        return lo == 0 && hi == 1;
    }

    @Override
    public String toString() {
        return lo + "," + hi;
    }
}
