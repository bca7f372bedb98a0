package org.fedgen.models.ddpm;

import java.util.Arrays;
import java.util.Objects;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022) over a conditional denoiser trained with label dropout:
 * ε̃(x_t, t, y) = (1 + w) ε_θ(x_t, t, y) − w ε_θ(x_t, t, ∅), where ∅ is {@link Conditioning#NO_LABEL}. w = 0 is the
 * conditional prediction itself; larger w trades diversity within a class for samples that look more like the class.
 * The weight may vary with the step ({@link GuidanceSchedule}) and guidance may apply only in a
 * {@link GuidanceInterval} of steps: outside it, and wherever the schedule's weight is 0, the result is the conditional
 * prediction itself, bit for bit; with the constant schedule, inside it, the bits of guidance at every step. For
 * sampling only: it shares the wrapped denoiser's parameters and cannot be trained.
 */
final class GuidedDenoiser implements Denoiser {
    private final Denoiser conditional;
    private final double weight;
    private final GuidanceInterval interval;
    private final GuidanceSchedule schedule;
    private final int totalSteps;

    /** Guidance at every step. */
    GuidedDenoiser(Denoiser conditional, double weight) {
        this(conditional, weight, GuidanceInterval.ALL, GuidanceSchedule.CONSTANT, 1);
    }

    /** Weight w at every step of the interval. */
    GuidedDenoiser(Denoiser conditional, double weight, GuidanceInterval interval, int totalSteps) {
        this(conditional, weight, interval, GuidanceSchedule.CONSTANT, totalSteps);
    }

    /**
     * @param conditional a conditional denoiser (numClasses &gt; 0)
     * @param weight      w &ge; 0
     * @param interval    the steps at which guidance applies
     * @param schedule    the weight at each step of the interval, built around w
     * @param totalSteps  T of the noise schedule, which the interval's and the schedule's fractions refer to
     */
    GuidedDenoiser(Denoiser conditional, double weight, GuidanceInterval interval, GuidanceSchedule schedule,
            int totalSteps) {
        this.interval = Objects.requireNonNull(interval, "interval");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        this.totalSteps = totalSteps;
        this.conditional = Objects.requireNonNull(conditional, "conditional");
        if (conditional.numClasses() < 1) {
            throw new IllegalArgumentException("guidance needs a conditional denoiser, got one with 0 classes");
        }
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("guidance weight must be finite and >= 0, got " + weight);
        }
        this.weight = weight;
    }

    @Override
    public int dataDim() {
        return conditional.dataDim();
    }

    @Override
    public int numClasses() {
        return conditional.numClasses();
    }

    @Override
    public INDArray params() {
        return conditional.params();
    }

    @Override
    public INDArray gradient() {
        return conditional.gradient();
    }

    @Override
    public void initialize(long seed) {
        conditional.initialize(seed);
    }

    /**
     * (1 + w_t) ε_θ(x_t, t, y) − w_t ε_θ(x_t, t, ∅) in a new array, w_t the schedule's weight at the row's t, for the
     * rows whose t is in the interval and w_t &gt; 0, ε_θ(x_t, t, y) for the others; when no row is guided, the
     * conditional denoiser's own result (no unconditional pass).
     */
    @Override
    public INDArray predict(INDArray xt, int[] t, int[] labels) {
        double[] w = new double[t.length];
        TreeSet<Double> distinct = new TreeSet<>();
        for (int i = 0; i < t.length; i++) {
            boolean inside = interval.everywhere() || interval.contains(t[i], totalSteps);
            w[i] = inside ? schedule.weight(weight, t[i], totalSteps) : 0;
            if (w[i] > 0) {
                distinct.add(w[i]);
            }
        }
        if (distinct.isEmpty()) {
            return conditional.predict(xt, t, labels);
        }
        int[] none = new int[t.length];
        Arrays.fill(none, Conditioning.NO_LABEL);
        boolean allOne = distinct.size() == 1 && Arrays.stream(w).allMatch(v -> v == distinct.first());
        if (allOne) {
            // the samplers' case (one t per batch): the exact operations of guidance at every step
            INDArray guided = conditional.predict(xt, t, labels).mul(1.0 + w[0]);
            return guided.subi(conditional.predict(xt, t, none).mul(w[0]));
        }
        INDArray cond = conditional.predict(xt, t, labels).dup();
        INDArray uncond = conditional.predict(xt, t, none).dup();
        INDArray out = cond.dup();
        for (double wk : distinct) {
            // each row gets the bits it would get in a batch guided with its own weight throughout
            INDArray guided = cond.mul(1.0 + wk).subi(uncond.mul(wk));
            for (int i = 0; i < t.length; i++) {
                if (w[i] == wk) {
                    out.putRow(i, guided.getRow(i));
                }
            }
        }
        return out;
    }

    /** Always throws: the guided combination is a sampling rule, not a trainable network. */
    @Override
    public double lossAndGradient(INDArray xt, int[] t, int[] labels, INDArray eps) {
        throw new UnsupportedOperationException("a guided denoiser only predicts; train the conditional denoiser "
                + "with label dropout instead");
    }
}
