package org.fedgen.models.dpsgd;

import org.fedgen.core.FitInstructions;
import org.fedgen.models.train.StepPlan;

/**
 * What one DP-SGD fit costs in privacy: q = B / n (B = min(batch size, n)) and the number of steps, the same
 * {@link StepPlan} a non-private fit takes (local steps, or E · ⌈n / B⌉ for E epochs). The run's accountant charges
 * {@code steps} subsampled Gaussian mechanisms (q, σ) per fit from exactly this plan.
 *
 * @param q             Poisson rate of a record per step
 * @param steps         DP-SGD steps of the fit
 * @param expectedBatch q · n = B, the fixed denominator of the noisy mean gradient
 */
public record DpSgdPlan(double q, long steps, int expectedBatch) {

    /** The plan of a fit on {@code examples} records (batchesPerStep as in {@link StepPlan#of(FitInstructions, int, int)}). */
    public static DpSgdPlan of(FitInstructions instructions, int examples, int batchesPerStep) {
        StepPlan plan = StepPlan.of(instructions, examples, batchesPerStep);
        return new DpSgdPlan((double) plan.batchSize() / examples, plan.steps() * batchesPerStep, plan.batchSize());
    }
}
